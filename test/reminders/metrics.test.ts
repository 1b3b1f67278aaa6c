import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { createMetrics } from "../../src/metrics.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { startReminders } from "../../src/reminders/start.ts";

/** Says lines as alice in the war room, each its own event, at the clock's time. */
function saying(app: ReturnType<typeof createApp>, clock: ReturnType<typeof fixedClock>) {
  let n = 0;
  return (text: string) =>
    app.bot.handle({
      platform: "console",
      actor: { id: "alice", name: "alice" },
      room: "war-room",
      text,
      eventId: `e${++n}`,
      time: clock.now(),
    });
}

describe("metrics", () => {
  it("count updates posted and reminders posted by kind", async () => {
    const metrics = createMetrics();
    const config = loadConfig({ HINDSIGHT_DB: ":memory:" });
    const clock = fixedClock("2023-02-23T10:00:00Z");
    const log = pino({ level: "silent" });
    const app = createApp(config, log, { clock, observer: metrics.observer });
    const say = saying(app, clock);
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

  it("an observer that throws neither undoes a message nor fails a committed command", () => {
    const config = loadConfig({ HINDSIGHT_DB: ":memory:", HINDSIGHT_CREATE_ROOMS: "false" });
    const clock = fixedClock("2023-02-23T10:00:00Z");
    const broken = {
      commandHandled: () => {
        throw new Error("metrics down");
      },
      messageCollected: () => {
        throw new Error("metrics down");
      },
    };
    const app = createApp(config, pino({ level: "silent" }), { clock, observer: broken });
    const say = saying(app, clock);
    expect(say("/incident start Downtime --sev 1").kind).toBe("ok");
    expect(say("the proxy answers 502").kind).toBe("collected");
    const added = say("/timeline add noticed the proxy down");
    expect(added.kind).toBe("ok");
    const incident = app.bot.incidentForRoom("console", "war-room")!;
    expect(app.repos.timeline.list(incident.id).map((e) => e.text)).toContain(
      "noticed the proxy down",
    );
    expect(app.bot.storedRange(incident.id, "console", "war-room")).toBeDefined();
    app.db.close();
  });
});
