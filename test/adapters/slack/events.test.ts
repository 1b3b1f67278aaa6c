import { createHmac } from "node:crypto";
import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifySignature } from "../../../src/adapters/slack/signature.ts";
import {
  declareIncident,
  messageChanged,
  messageDeleted,
  messageEvent,
  type SlackHarness,
  startSlackHarness,
} from "./slackHarness.ts";

let h: SlackHarness;
let channel: string;

beforeEach(async () => {
  h = await startSlackHarness();
  channel = await declareIncident(h, "Proxy outage");
});

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

const timeline = () => h.app.repos.timeline.list(1).map((e) => e.text);
const entries = () => h.app.repos.timeline.list(1);

describe("Slack events: collected messages", () => {
  it("stores messages in the incident channel, applies section tags, ignores other channels and bots", async () => {
    expect(
      (await h.event(messageEvent(channel, "1677146700.000100", "impact: checkout down"))).status,
    ).toBe(200);
    await h.event(messageEvent("CRANDOM", "1677146701.000100", "impact: not an incident channel"));
    await h.event({
      ...messageEvent(channel, "1677146702.000100", "from a bot"),
      bot_id: "BOTHER",
    });
    await h.event(messageEvent(channel, "1677146703.000100", "the bot itself", "UBOT"));
    expect(h.app.repos.messages.count(1)).toBe(1);
    expect(h.app.repos.sections.all(1).map((s) => s.text)).toEqual(["checkout down"]);
  });

  it("ignores events from another workspace", async () => {
    await h.event(messageEvent(channel, "1677146700.000100", "impact: theirs"), {
      teamId: "TOTHER",
    });
    expect(h.app.repos.messages.count(1)).toBe(0);
  });

  it("a redelivered event (same event id, x-slack-retry-num) changes nothing", async () => {
    const first = await h.event(messageEvent(channel, "1677146700.000100", "action: rotate certs"));
    await h.adapter.idle();
    const updates = h.fake.callsTo("chat.update").length;
    const again = await h.event(
      messageEvent(channel, "1677146700.000100", "action: rotate certs"),
      {
        eventId: first.eventId,
        retryNum: 1,
      },
    );
    expect(again.status).toBe(200);
    await h.adapter.idle();
    expect(h.app.repos.actions.list(1).map((a) => a.text)).toEqual(["rotate certs"]);
    expect(h.fake.callsTo("chat.update")).toHaveLength(updates);

    // A redelivered 📌 removal must not take away a pin added after it.
    const pin = {
      type: "reaction_added",
      user: "UBOB",
      reaction: "pushpin",
      item: { type: "message", channel, ts: "1677146700.000100" },
    };
    await h.event(pin, { eventId: "EvPin" });
    await h.event({ ...pin, type: "reaction_removed" }, { eventId: "EvUnpin" });
    await h.event(pin, { eventId: "EvPin2" });
    await h.event({ ...pin, type: "reaction_removed" }, { eventId: "EvUnpin", retryNum: 1 });
    expect(timeline()).toContain("action: rotate certs");
  });

  it(":pushpin: adds a timeline entry at the message's own time; removing it removes the entry", async () => {
    const ts = "1677146705.000100"; // 2023-02-23 10:05:05 UTC
    await h.event(messageEvent(channel, ts, "proxy restarted, errors gone"));
    const pin = {
      type: "reaction_added",
      user: "UBOB",
      reaction: "pushpin",
      item: { type: "message", channel, ts },
    };
    await h.event(pin);
    const pinned = entries().find((e) => e.kind === "pin");
    expect(pinned?.text).toBe("proxy restarted, errors gone");
    expect(pinned?.at).toBe(Date.UTC(2023, 1, 23, 10, 5, 5));
    await h.event({ ...pin, user: "UALICE" }); // a second 📌 adds nothing
    expect(entries().filter((e) => e.kind === "pin")).toHaveLength(1);
    await h.event({ ...pin, reaction: "thumbsup" });
    await h.event({ ...pin, type: "reaction_removed" });
    expect(entries().filter((e) => e.kind === "pin")).toHaveLength(1); // alice's pin remains
    await h.event({ ...pin, type: "reaction_removed", user: "UALICE" });
    expect(entries().filter((e) => e.kind === "pin")).toEqual([]);
  });

  it("a command typed as a message reads a bare time in its author's Slack zone", async () => {
    // bob (America/New_York, UTC-5 in February) has not used a slash command: nothing cached.
    const ts = "1677150000.000100"; // 11:00 UTC
    await h.event(messageEvent(channel, ts, "!timeline add 05:05 proxy down", "UBOB"));
    await h.adapter.idle();
    const reply = h.fake
      .callsTo("chat.postMessage")
      .find((c) => c.args.channel === channel && c.args.text?.startsWith("Added"));
    expect(reply?.args.text).toContain("at 2023-02-23 10:05 UTC");
    const added = entries().find((e) => e.text === "proxy down");
    expect(added?.at).toBe(Date.UTC(2023, 1, 23, 10, 5));
  });

  it("edits and deletions on Slack are reflected in what was collected", async () => {
    const ts = "1677146705.000100";
    await h.event(messageEvent(channel, ts, "lesson: monitor cert expiry"));
    await h.event(
      messageChanged(
        channel,
        ts,
        "lesson: monitor cert expiry",
        "lesson: monitor certificate expiry",
      ),
    );
    expect(h.app.repos.sections.all(1).map((s) => s.text)).toEqual(["monitor certificate expiry"]);
    expect(h.app.repos.messages.byEvent("slack", `${channel}:${ts}`)?.text).toBe(
      "lesson: monitor certificate expiry",
    );
    await h.event(messageDeleted(channel, ts, "lesson: monitor certificate expiry"));
    expect(h.app.repos.sections.all(1)).toEqual([]);
    expect(h.app.repos.messages.byEvent("slack", `${channel}:${ts}`)?.deletedAt).not.toBeNull();
  });

  it("the pinned summary follows action items added, edited and deleted as messages, and backfilled", async () => {
    const summary = () => h.fake.callsTo("chat.update").at(-1)?.args.text;
    const ts = "1677146705.000100";
    await h.event(messageEvent(channel, ts, "action: rotate certs"));
    await h.adapter.idle();
    expect(summary()).toContain("• 1. rotate certs");
    await h.event(messageChanged(channel, ts, "action: rotate certs", "action: rotate all certs"));
    await h.adapter.idle();
    expect(summary()).toContain("• 1. rotate all certs");
    await h.event(messageDeleted(channel, ts, "action: rotate all certs"));
    await h.adapter.idle();
    expect(summary()).toContain("No open action items");
    h.fake.history.set(channel, [
      { type: "message", user: "UBOB", text: "todo: add a cert monitor", ts: "1677147000.000100" },
    ]);
    await h.event({ type: "member_joined_channel", user: "UBOT", channel });
    await h.adapter.idle();
    expect(summary()).toContain("• 2. add a cert monitor");
  });

  it("a deleted thread parent (a tombstone edit) is a deletion, not an edit", async () => {
    const ts = "1677146705.000100";
    await h.event(messageEvent(channel, ts, "impact: checkout down"));
    await h.event(
      messageChanged(channel, ts, "impact: checkout down", "This message was deleted.", {
        subtype: "tombstone",
        user: "USLACKBOT",
        thread_ts: ts,
        reply_count: 1,
      }),
    );
    expect(h.app.repos.sections.all(1)).toEqual([]);
    const stored = h.app.repos.messages.byEvent("slack", `${channel}:${ts}`);
    expect(stored?.deletedAt).not.toBeNull();
    expect(stored?.text).toBe("");
  });

  it("backfills an incident channel's history when the bot is added to it, and again harmlessly", async () => {
    h.fake.history.set(channel, [
      {
        type: "message",
        user: "UBOB",
        text: "trigger: cert renewal cron failed",
        ts: "1677146500.000100",
      },
      { type: "message", user: "UBOB", text: "looking", ts: "1677146400.000100" },
      {
        type: "message",
        subtype: "channel_join",
        user: "UBOB",
        text: "joined",
        ts: "1677146300.000100",
      },
    ]);
    const joined = { type: "member_joined_channel", user: "UBOT", channel, channel_type: "C" };
    await h.event(joined);
    await h.adapter.idle();
    expect(h.app.repos.messages.count(1)).toBe(2);
    await h.event(joined);
    await h.adapter.idle();
    expect(h.app.repos.messages.count(1)).toBe(2);
    expect(h.app.repos.sections.all(1).map((s) => s.text)).toEqual(["cert renewal cron failed"]);
  });
});

describe("Slack request signatures", () => {
  it("refuses a forged or stale signature before anything is stored", async () => {
    const forged = await h.event(messageEvent(channel, "1677146700.000100", "impact: forged"), {
      secret: "not-the-secret",
    });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const old = await h.event(messageEvent(channel, "1677146701.000100", "impact: stale"), {
      timestamp: stale, // correctly signed, but ten minutes old: a replay
    });
    expect(old.status).toBe(401);
    const replayed = await h.command("/incident", "start Forged", {}, { timestamp: stale });
    expect(replayed.status).toBe(401);
    expect(h.app.repos.messages.count(1)).toBe(0);
    expect(h.app.repos.incidents.list({ all: true })).toHaveLength(1);
  });

  it("refuses unsigned requests and a timestamp from the future, and answers Slack's ssl_check", async () => {
    const unsigned = await fetch(h.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ command: "/incident", text: "start Unsigned" }).toString(),
    });
    expect(unsigned.status).toBe(401);
    const ahead = Math.floor(Date.now() / 1000) + 10 * 60;
    const future = await h.command("/incident", "start From the future", {}, { timestamp: ahead });
    expect(future.status).toBe(401);
    // Slack's certificate probe is unsigned; anything smuggled beside it is dropped, not run.
    const probe = await fetch(h.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ssl_check=1&command=%2Fincident&text=start+Smuggled&team_id=T1",
    });
    expect(probe.status).toBe(200);
    expect(h.app.repos.incidents.list({ all: true }).map((i) => i.title)).not.toContain("Smuggled");
    expect(h.app.repos.incidents.list({ all: true })).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === "Slack request refused: bad signature")).toBe(true);
  });
});

/** An unsigned slash command sent to `path` as written (fetch would normalise it first). */
function unsignedTo(path: string, title: string): Promise<number> {
  const { port } = new URL(h.endpoint);
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(
      new URLSearchParams({
        command: "/incident",
        text: `start ${title}`,
        team_id: "T1",
      }).toString(),
    );
  });
}

const titles = () => h.app.repos.incidents.list({ all: true }).map((i) => i.title);

describe("Slack request paths", () => {
  it.each([
    "/slack/x/../events",
    "/slack/./events",
    "/slack/events#fragment",
    "/slack/events?x=1",
    "//slack/events/../events",
  ])("checks the signature of %s as of /slack/events", async (path) => {
    expect([401, 404]).toContain(await unsignedTo(path, "Forged path"));
    expect(titles()).not.toContain("Forged path");
  });

  it("checks an absolute-form request target too", async () => {
    expect(await unsignedTo("http://evil.example/slack/events", "Absolute")).toBe(401);
    expect(titles()).not.toContain("Absolute");
  });
});

describe("verifySignature", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const body = Buffer.from("token=x&command=%2Fincident&text=start");
  const sign = (ts: number, key = secret) =>
    `v0=${createHmac("sha256", key).update(`v0:${ts}:${body.toString()}`).digest("hex")}`;
  const now = Date.UTC(2026, 11, 2, 10, 0);
  const ts = now / 1000;
  const headers = (signature: string, timestamp: number | string = ts) => ({
    "x-slack-signature": signature,
    "x-slack-request-timestamp": String(timestamp),
  });

  it.each([
    ["a correct signature", headers(sign(ts)), true],
    ["another secret", headers(sign(ts, "other")), false],
    ["a signature of another time", headers(sign(ts - 1)), false],
    ["four minutes old", headers(sign(ts - 240), ts - 240), true],
    ["six minutes old", headers(sign(ts - 360), ts - 360), false],
    ["six minutes ahead", headers(sign(ts + 360), ts + 360), false],
    ["version v1", headers(sign(ts).replace("v0=", "v1=")), false],
    ["a truncated digest", headers(sign(ts).slice(0, 40)), false],
    ["not hex", headers(`v0=${"z".repeat(64)}`), false],
    ["a timestamp that is not a number", headers(sign(ts), "soon"), false],
    ["no headers", {}, false],
  ])("%s → %s", (_what, given, ok) => {
    expect(verifySignature(secret, given, body, now).ok).toBe(ok);
  });
});
