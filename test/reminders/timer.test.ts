import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { fixedClock, systemScheduler } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { everyPlatform, startReminders } from "../../src/reminders/start.ts";
import type { ReminderTimer } from "../../src/reminders/timer.ts";

const log = pino({ level: "silent" });
const MIN = 60_000;
const START = Date.parse("2023-02-23T10:00:00Z");
let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One bot process over `file`: its own clock, timer and record of what it posted. */
function instance(file: string, at: number, env: Record<string, string> = {}) {
  const config = loadConfig({ HINDSIGHT_DB: file, ...env });
  const clock = fixedClock(at);
  const app = createApp(config, log, { clock });
  const posted: { incidentId: number; text: string }[] = [];
  let timer: ReminderTimer | undefined;
  const port = {
    async postToIncidentRoom(incidentId: number, text: string) {
      posted.push({ incidentId, text });
    },
  };
  let n = 0;
  const self = {
    app,
    clock,
    posted,
    command(text: string) {
      const result = app.bot.handle({
        platform: "console",
        actor: { id: "alice", name: "alice" },
        room: "war-room",
        text,
        eventId: `${file}-${at}-${++n}`,
        time: clock.now(),
      });
      expect(result.kind).toBe("ok");
    },
    start() {
      timer = startReminders({
        settings: reminderSettingsFrom(config),
        repos: app.repos,
        port: everyPlatform([port], log),
        clock,
        scheduler: clock,
        log,
      });
      return timer;
    },
    async stop() {
      await timer?.stop();
      if (app.db.open) app.db.close();
    },
  };
  cleanups.push(() => self.stop());
  return self;
}

describe("the reminder timer", () => {
  it("ticks on the injected clock every 30 s and posts a due reminder once", async () => {
    dir = mkdtempSync(join(tmpdir(), "hindsight-reminders-"));
    const bot = instance(join(dir, "h.db"), START, { HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off" });
    bot.command("/incident start Downtime --sev 2");
    const timer = bot.start()!;
    bot.clock.advance(4 * MIN + 30_000);
    expect(bot.posted).toEqual([]);
    // The 5-minute mark: the scheduled tick posts it (no explicit tick() here).
    bot.clock.advance(30_000);
    expect(bot.posted.map((p) => p.text)).toEqual([
      "⏰ INC-1 has had no commander for 5 min. Someone take it: /incident role commander me (or /incident role commander @someone).",
    ]);
    await timer.tick();
    bot.clock.advance(60 * MIN);
    await timer.tick();
    expect(bot.posted).toHaveLength(1);
    await timer.stop();
    bot.clock.advance(60 * MIN);
    expect(bot.posted).toHaveLength(1);
  });

  it("posts nothing with HINDSIGHT_REMINDERS=off: no timer at all", () => {
    dir = mkdtempSync(join(tmpdir(), "hindsight-reminders-"));
    const bot = instance(join(dir, "h.db"), START, { HINDSIGHT_REMINDERS: "off" });
    bot.command("/incident start Downtime --sev 1");
    expect(bot.start()).toBeUndefined();
  });

  it("a reminder due across a restart is posted exactly once", async () => {
    dir = mkdtempSync(join(tmpdir(), "hindsight-reminders-"));
    const file = join(dir, "h.db");
    const first = instance(file, START, { HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off" });
    first.command("/incident start Downtime --sev 2");
    first.start();
    first.clock.advance(4 * MIN);
    await first.stop();
    expect(first.posted).toEqual([]);

    // Down across the 5-minute mark; back at 7 minutes: the first tick posts it.
    const second = instance(file, START + 7 * MIN, { HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off" });
    await second.start()!.tick();
    expect(second.posted.map((p) => p.incidentId)).toEqual([1]);
    await second.stop();

    const third = instance(file, START + 8 * MIN, { HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off" });
    const timer = third.start()!;
    third.clock.advance(30 * MIN);
    await timer.tick();
    expect(third.posted).toEqual([]);
  });

  it("two processes on one database post a due reminder once between them", async () => {
    dir = mkdtempSync(join(tmpdir(), "hindsight-reminders-"));
    const file = join(dir, "h.db");
    const a = instance(file, START);
    a.command("/incident start Downtime --sev 1");
    a.command("/incident role INC-1 commander me");
    const b = instance(file, START);
    const timers = [a.start()!, b.start()!];
    for (let i = 0; i < 40; i++) {
      a.clock.advance(30_000);
      b.clock.advance(30_000);
    }
    await Promise.all(timers.map((t) => t.tick()));
    const all = [...a.posted, ...b.posted].map((p) => p.text);
    expect(all).toEqual([
      "⏰ INC-1 (SEV1) has had no status update for 15 min. Tell stakeholders where things stand: /incident update <text>.",
    ]);
  });

  it("stops without waiting for a platform that never answers", async () => {
    dir = mkdtempSync(join(tmpdir(), "hindsight-reminders-"));
    const bot = instance(join(dir, "h.db"), START);
    bot.command("/incident start Downtime --sev 1");
    const clock = fixedClock(START + 20 * MIN);
    let asked = 0;
    const timer = startReminders({
      settings: reminderSettingsFrom(loadConfig({})),
      repos: bot.app.repos,
      port: {
        postToIncidentRoom: () => {
          asked++;
          return new Promise<void>(() => {});
        },
      },
      clock,
      scheduler: clock,
      log,
      stopGraceMs: 0,
    })!;
    expect(asked).toBe(1);
    await timer.stop();
    clock.advance(60 * MIN);
    expect(asked).toBe(1);
  });

  it("in production, the repeating timer never holds the process open", () => {
    const held = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = held();
    const stop = systemScheduler.every(30_000, () => {});
    expect(held()).toBe(before);
    stop();
  });

  it("one platform failing does not keep the reminder from the others", async () => {
    const got: string[] = [];
    const port = everyPlatform(
      [
        { postToIncidentRoom: async () => Promise.reject(new Error("slack down")) },
        { postToIncidentRoom: async (_id, text) => void got.push(text) },
        {},
      ],
      log,
    );
    await port.postToIncidentRoom(1, "hello");
    expect(got).toEqual(["hello"]);
  });
});
