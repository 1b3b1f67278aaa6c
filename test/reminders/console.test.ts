import { PassThrough } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/consoleAdapter.ts";
import { createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { startReminders } from "../../src/reminders/start.ts";

describe("terminal: status updates and reminders", () => {
  it("prints an update once and a reminder as it comes due", async () => {
    const config = loadConfig({
      HINDSIGHT_DB: ":memory:",
      HINDSIGHT_REMIND_UPDATE_EVERY: "sev1:off",
    });
    const clock = fixedClock("2023-02-23T10:00:00Z");
    const log = pino({ level: "silent" });
    const app = createApp(config, log, { clock });
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    const terminal = new ConsoleAdapter({
      bot: app.bot,
      clock,
      log,
      input: new PassThrough(),
      output,
      interactive: false,
      user: "alice",
    });
    await terminal.handleLine("/incident start Downtime --sev 1");
    await terminal.handleLine("/incident update failover started");
    const update =
      "📣 INC-1 update (Downtime · SEV1 · investigating): failover started (alice, 2023-02-23 10:00 UTC)";
    expect(printed.split("\n").filter((l) => l === update)).toHaveLength(1);
    expect(printed).toContain("Update on INC-1 posted at 2023-02-23 10:00 UTC.");

    const timer = startReminders({
      settings: reminderSettingsFrom(config),
      repos: app.repos,
      port: terminal,
      clock,
      scheduler: clock,
      log,
    })!;
    clock.advance(5 * 60_000);
    await timer.tick();
    await timer.stop();
    expect(printed).toContain("⏰ INC-1 has had no commander for 5 min.");
    app.db.close();
  });
});
