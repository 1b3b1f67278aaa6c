import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { startReminders } from "../../src/reminders/start.ts";
import type { ReminderTimer } from "../../src/reminders/timer.ts";
import {
  declareIncident,
  HARNESS_NOW,
  type SlackHarness,
  startSlackHarness,
} from "../adapters/slack/slackHarness.ts";

const MIN = 60_000;
let h: SlackHarness;
let timer: ReminderTimer | undefined;

afterEach(async () => {
  await timer?.stop();
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

/** The harness with its clock driving a reminder timer posting through the Slack adapter. */
async function start(env: Record<string, string> = {}) {
  const clock = fixedClock(HARNESS_NOW);
  h = await startSlackHarness({ announceChannel: "CANNOUNCE", clock });
  timer = startReminders({
    settings: reminderSettingsFrom(loadConfig(env)),
    repos: h.app.repos,
    port: h.adapter,
    clock,
    scheduler: clock,
    log: pino({ level: "silent" }),
  });
  /** Moves the clock; every tick that comes due on the way runs and finishes. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await timer?.tick();
    await h.adapter.idle();
  };
  return { clock, advance };
}

const postsTo = (channel: string) =>
  h.fake
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === channel)
    .map((c) => String(c.args.text));

describe("Slack: status updates and reminders over the wire", () => {
  it("an update reaches the incident channel and the announce channel and edits the card", async () => {
    await start();
    const channel = await declareIncident(h, "Downtime");
    const sent = await h.command("/incident", "update Failover done & <b>verified</b>", {
      channel_id: channel,
    });
    expect(sent.ack?.response_type).toBe("in_channel");
    expect(sent.ack?.text).toBe("Update on INC-1 posted at 2023-02-23 12:00 UTC.");
    await h.adapter.idle();
    const update =
      "📣 INC-1 update (Downtime · investigating): Failover done &amp; &lt;b&gt;verified&lt;/b&gt; (alice, 2023-02-23 12:00 UTC)";
    expect(postsTo(channel)).toContain(update);
    expect(postsTo("CANNOUNCE")).toContain(`${update} Follow it in <#${channel}>.`);
    const card = h.fake.callsTo("chat.update").at(-1);
    expect(card?.args.channel).toBe(channel);
    expect(card?.args.text).toContain(
      "Latest update (2023-02-23 12:00 UTC, alice): Failover done &amp; &lt;b&gt;verified&lt;/b&gt;",
    );
  });

  it("a commander reminder comes once and stops after a role is assigned", async () => {
    const { advance } = await start({ HINDSIGHT_REMIND_UPDATE_EVERY: "sev3:off" });
    const channel = await declareIncident(h, "Downtime");
    await advance(4 * MIN);
    expect(postsTo(channel).filter((t) => t.startsWith("⏰"))).toEqual([]);
    await advance(MIN);
    const reminder =
      "⏰ INC-1 has had no commander for 5 min. Someone take it: /incident role commander me (or /incident role commander @someone).";
    expect(postsTo(channel).filter((t) => t.startsWith("⏰"))).toEqual([reminder]);
    await advance(10 * MIN);
    await h.command("/incident", "role commander me", { channel_id: channel });
    await advance(60 * MIN);
    expect(postsTo(channel).filter((t) => t.startsWith("⏰"))).toEqual([reminder]);
    expect(postsTo("CANNOUNCE").some((t) => t.includes("⏰"))).toBe(false);
  });

  it("an update reminder comes once per silence, resets on update, stops at resolve with a summary", async () => {
    const { advance } = await start({ HINDSIGHT_REMIND_COMMANDER_AFTER: "off" });
    await h.command("/incident", "start Downtime --sev 2");
    await h.adapter.idle();
    const channel = h.fake.channels.get("inc-1-downtime")!;
    const reminders = () => postsTo(channel).filter((t) => t.startsWith("⏰"));
    await advance(30 * MIN);
    expect(reminders()).toEqual([
      "⏰ INC-1 (SEV2) has had no status update for 30 min. Tell stakeholders where things stand: /incident update &lt;text&gt;.",
    ]);
    await advance(20 * MIN);
    expect(reminders()).toHaveLength(1);
    await h.command("/incident", "update rolling back", { channel_id: channel });
    await advance(29 * MIN);
    expect(reminders()).toHaveLength(1);
    await advance(MIN);
    expect(reminders()).toHaveLength(2);
    await h.command("/action", "add rotate the certificate --owner <@UBOB|bob>", {
      channel_id: channel,
    });
    await h.command("/postmortem", "set impact Logins failed", { channel_id: channel });
    await h.command("/incident", "resolve", { channel_id: channel });
    await advance(30_000);
    expect(reminders()).toHaveLength(3);
    const summary = reminders()[2]!;
    expect(summary).toContain("INC-1 is resolved. Still to do for the write-up:");
    expect(summary).toContain("1 open action item: #1 rotate the certificate (@bob)");
    expect(summary).toContain("empty sections: root-causes, trigger, detection");
    expect(summary).not.toContain("impact");
    await advance(5 * 60 * MIN);
    expect(reminders()).toHaveLength(3);
  });
});
