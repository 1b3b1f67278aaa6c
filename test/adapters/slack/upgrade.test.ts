import { afterEach, describe, expect, it } from "vitest";
import { declareIncident, type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

describe("Slack: upgrading a database from before the engine", () => {
  it("keeps editing the card an open incident already had", async () => {
    h = await startSlackHarness();
    const channel = await declareIncident(h, "Old card");
    // How the card was remembered before: one per incident, as { channel, ts }.
    const { kv } = h.app.repos;
    kv.delete(`slack:summary-card:1:${channel}`);
    kv.set("slack:summary:1", JSON.stringify({ channel, ts: "1677000000.000100" }));

    await h.restart();
    await h.command("/incident", "sev 1", { channel_id: channel });
    await h.adapter.idle();
    const update = h.fake.callsTo("chat.update").at(-1);
    expect(update?.args).toMatchObject({ channel, ts: "1677000000.000100" });
    expect(update?.args.text).toContain("SEV1");
    expect(kv.get("slack:summary:1")).toBeUndefined();
  });
});
