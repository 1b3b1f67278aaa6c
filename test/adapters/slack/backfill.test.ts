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

const said = (user: string, text: string, ts: string) => ({
  type: "message" as const,
  user,
  text,
  ts,
});

describe("Slack backfill order", () => {
  it("collects a history longer than one page oldest first: action numbers follow what was said", async () => {
    const steps = 450; // three pages of 200
    h.fake.history.set(
      channel,
      Array.from({ length: steps }, (_, i) =>
        said("UBOB", `action: step ${i + 1}`, `${1677146000 + i}.000100`),
      ),
    );
    await h.event({ type: "member_joined_channel", user: "UBOT", channel });
    await h.adapter.idle();
    const actions = h.app.repos.actions.list(1).map((a) => `${a.number}: ${a.text}`);
    expect(actions).toEqual(Array.from({ length: steps }, (_, i) => `${i + 1}: step ${i + 1}`));
  });
});

describe("Slack catch-up after downtime", () => {
  it("on start, collects what was said in open incidents' channels since the newest stored message and runs commands typed meanwhile, once", async () => {
    const before = "1677146700.000100";
    await h.event(messageEvent(channel, before, "impact: checkout down"));
    // Slack gave up redelivering these while the bot was down; they are only in the history.
    h.fake.history.set(channel, [
      said("UALICE", "impact: checkout down", before),
      said("UBOB", "went wrong: the pager did not fire", "1677147000.000100"),
      said("UBOB", "!incident sev 1", "1677147100.000100"),
      said("UALICE", "action: page on cert expiry", "1677147200.000100"),
    ]);
    await h.restart();
    await h.adapter.idle();

    const history = h.fake.callsTo("conversations.history");
    expect(history.map((c) => [c.args.channel, c.args.oldest])).toEqual([[channel, before]]);
    expect(h.app.repos.messages.count(1)).toBe(3);
    expect(h.app.repos.sections.all(1).map((s) => [s.section, s.text])).toEqual([
      ["impact", "checkout down"],
      ["went-wrong", "the pager did not fire"],
    ]);
    expect(h.app.repos.actions.list(1).map((a) => a.text)).toEqual(["page on cert expiry"]);
    // The command typed while the bot was away ran on its return, and was answered.
    expect(h.app.repos.incidents.get(1)?.severity).toBe(1);
    const answered = () =>
      h.fake
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === channel && String(c.args.text).includes("is now SEV1"));
    expect(answered()).toHaveLength(1);
    // A second restart finds the same history: nothing runs or is answered twice.
    await h.restart();
    await h.adapter.idle();
    expect(answered()).toHaveLength(1);
    expect(h.app.repos.timeline.list(1).filter((e) => e.kind === "severity")).toHaveLength(1);
  });

  it("a first look at a channel's history does not run old commands", async () => {
    h.fake.history.set(channel, [said("UBOB", "!incident sev 1", "1677147100.000100")]);
    await h.event({ type: "member_joined_channel", user: "UBOT", channel });
    await h.adapter.idle();
    expect(h.app.repos.incidents.get(1)?.severity).toBeNull();
  });

  it("leaves resolved incidents' channels alone", async () => {
    await h.command("/incident", "resolve", { channel_id: channel });
    await h.adapter.idle();
    h.fake.history.set(channel, [said("UBOB", "lesson: too late", "1677147000.000100")]);
    await h.restart();
    await h.adapter.idle();
    expect(h.fake.callsTo("conversations.history")).toEqual([]);
  });
});
