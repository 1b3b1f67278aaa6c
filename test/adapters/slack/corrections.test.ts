import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  declareIncident,
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

describe("Slack: a tagged message beyond its command's limits", () => {
  it("is collected, files nothing, and only its author is told why", async () => {
    await h.event(messageEvent(channel, "1677146700.000100", `impact: ${"x".repeat(5000)}`));
    await h.adapter.idle();
    expect(h.app.repos.messages.count(1)).toBe(1);
    expect(h.app.repos.sections.all(1)).toEqual([]);
    const told = h.fake
      .callsTo("chat.postEphemeral")
      .filter((c) => String(c.args.text).includes("not filed under impact"));
    expect(told).toHaveLength(1);
    expect(told[0]!.args).toMatchObject({ channel, user: "UALICE" });
    expect(told[0]!.args.text).toContain("at most 4000");
    const posted = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes("not filed"));
    expect(posted).toEqual([]);
  });
});

describe("Slack: corrections and the pinned summary", () => {
  it("/incident rename and /action edit refresh the pinned summary", async () => {
    const summary = () => h.fake.callsTo("chat.update").at(-1)?.args.text;
    await h.command("/incident", "rename Certificate errors on the login proxy", {
      channel_id: channel,
    });
    await h.adapter.idle();
    expect(summary()).toContain("INC-1: Certificate errors on the login proxy");
    await h.event(messageEvent(channel, "1677146700.000100", "action: renew the certificate"));
    await h.command("/action", "edit 1 --owner @bob", { channel_id: channel });
    await h.adapter.idle();
    expect(summary()).toContain("• 1. renew the certificate (@bob)");
  });
});
