import { afterEach, describe, expect, it } from "vitest";
import { type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

describe("Slack: acks never wait for Slack's own API", () => {
  it("acknowledges commands while the Web API has not answered yet, and finishes the work afterwards", async () => {
    h = await startSlackHarness();
    const releaseCreate = h.fake.hold("conversations.create");
    const releasePost = h.fake.hold("chat.postMessage");

    const start = await h.command("/incident", "start Slow Slack");
    expect(start.ack?.text).toContain("Declared INC-1");
    // Committed before the ack: the incident is in the database already.
    expect(h.app.repos.incidents.get(1)?.title).toBe("Slow Slack");
    const create = await h.fake.waitForCall("conversations.create");
    expect(create.answered).toBe(false);

    // A second command while Slack is still stuck: acknowledged just the same.
    const sev = await h.command("/incident", "INC-1 sev 1");
    expect(sev.ack?.text).toContain("SEV1");
    expect(create.answered).toBe(false);

    releaseCreate();
    const post = await h.fake.waitForCall("chat.postMessage");
    expect(post.answered).toBe(false);
    releasePost();
    await h.adapter.idle();
    // The summary was posted after the channel existed, and updated with the later change.
    expect(h.fake.callsTo("pins.add")).toHaveLength(1);
    expect(h.fake.callsTo("chat.update").at(-1)?.args.text).toContain("SEV1");
  });

  it("does not hold the ack for a slow users.info: the default zone now, the cached profile next time", async () => {
    h = await startSlackHarness({ profileBudgetMs: 20 });
    const release = h.fake.hold("users.info");
    const start = await h.command("/incident", "start Slow profile");
    expect(start.ack?.text).toContain("Declared INC-1");
    // alice's profile has not arrived: 11:05 is read in HINDSIGHT_TIMEZONE (UTC) and says so.
    const first = await h.command("/timeline", "INC-1 add 11:05 proxy down");
    expect(first.ack?.text).toContain("at 2023-02-23 11:05 UTC");
    release();
    await h.adapter.idle();
    // Now it is cached: Europe/Berlin, without asking Slack again.
    const second = await h.command("/timeline", "INC-1 add 11:06 proxy restarted");
    expect(second.ack?.text).toContain("at 2023-02-23 10:06 UTC");
    expect(h.fake.callsTo("users.info")).toHaveLength(1);
  });

  it("acknowledges events before any Web API call they cause", async () => {
    h = await startSlackHarness();
    await h.command("/incident", "start Backfill me");
    await h.adapter.idle();
    const channel = h.fake.channels.get("inc-1-backfill-me")!;
    const release = h.fake.hold("conversations.history");
    const joined = await h.event({ type: "member_joined_channel", user: "UBOT", channel });
    expect(joined.status).toBe(200);
    const history = await h.fake.waitForCall("conversations.history");
    expect(history.answered).toBe(false);
    release();
    await h.adapter.idle();
  });
});

describe("Slack rate limits", () => {
  it("waits out a 429 with Retry-After and retries the call instead of dropping it", async () => {
    h = await startSlackHarness();
    h.fake.rateLimitOnce("chat.postMessage", 1);
    await h.command("/incident", "start Rate limited");
    await h.adapter.idle();
    const channel = h.fake.channels.get("inc-1-rate-limited")!;
    const posts = h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === channel);
    expect(posts).toHaveLength(2); // the 429, then the retry
    expect(posts[1]?.args.text).toBe(posts[0]?.args.text);
    expect(h.fake.callsTo("pins.add")).toHaveLength(1);
  });
});

describe("Slack adapter shutdown", () => {
  it("stop() does not wait without limit for a Slack call that never returns, and logs what it abandons", async () => {
    h = await startSlackHarness({ stopGraceMs: 50 });
    const release = h.fake.hold("conversations.create");
    await h.command("/incident", "start Stuck");
    await h.fake.waitForCall("conversations.create");
    await h.stopBot();
    expect(h.logs.find((l) => String(l.msg).startsWith("stopped with Slack calls"))).toMatchObject({
      abandoned: ["follow-up of /incident"],
    });
    release();
    await h.adapter.idle();
  });
});
