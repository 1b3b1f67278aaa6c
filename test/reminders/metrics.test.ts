import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { createMetrics } from "../../src/metrics.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { startReminders } from "../../src/reminders/start.ts";

describe("metrics", () => {
  it("count updates posted and reminders posted by kind", async () => {
    const metrics = createMetrics();
    const config = loadConfig({ HINDSIGHT_DB: ":memory:" });
    const clock = fixedClock("2023-02-23T10:00:00Z");
    const log = pino({ level: "silent" });
    const app = createApp(config, log, { clock, observer: metrics.observer });
    let n = 0;
    const say = (text: string) =>
      app.bot.handle({
        platform: "console",
        actor: { id: "alice", name: "alice" },
        room: "war-room",
        text,
        eventId: `e${++n}`,
        time: clock.now(),
      });
    say("/incident start Downtime --sev 1");
    say("/incident update INC-1 looking");
    say("/incident update INC-1 ");
    const timer = startReminders({
      settings: reminderSettingsFrom(config),
      repos: app.repos,
      port: { postToIncidentRoom: async () => {} },
      clock,
      scheduler: clock,
      log,
      posted: (r) => metrics.reminderPosted(r.kind),
    })!;
    clock.advance(15 * 60_000);
    await timer.tick();
    await timer.stop();
    const text = await metrics.registry.metrics();
    expect(text).toContain("hindsight_status_updates_total 1");
    expect(text).toContain('hindsight_reminders_posted_total{kind="commander"} 1');
    expect(text).toContain('hindsight_reminders_posted_total{kind="update"} 1');
    app.db.close();
  });
});
