import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { parseCadence, parseDuration, reminderSettingsFrom } from "../../src/reminders/settings.ts";

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split("\n").filter((line) => line.startsWith("  - "));
  }
};

describe("reminder settings", () => {
  it("default to on, 5 minutes for a commander, sev1:15m,sev2:30m,sev3:1h,sev4:off", () => {
    expect(reminderSettingsFrom(loadConfig({}))).toEqual({
      enabled: true,
      commanderAfterMs: 300_000,
      updateEveryMs: { 1: 900_000, 2: 1_800_000, 3: 3_600_000, 4: null },
    });
  });

  it("read durations as 90s, 5m, 1h or off; a cadence keeps the defaults it does not name", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("off")).toBeNull();
    expect(parseCadence("sev1:5m, sev4:2h")).toEqual({
      1: 300_000,
      2: 1_800_000,
      3: 3_600_000,
      4: 7_200_000,
    });
    expect(parseCadence("off")).toEqual({ 1: null, 2: null, 3: null, 4: null });
    const config = loadConfig({
      HINDSIGHT_REMINDERS: "off",
      HINDSIGHT_REMIND_COMMANDER_AFTER: "off",
      HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off",
    });
    expect(reminderSettingsFrom(config)).toMatchObject({
      enabled: false,
      commanderAfterMs: null,
      updateEveryMs: { 2: null },
    });
  });

  it("stop the start with the other configuration errors, one line each", () => {
    const problems = problemsOf({
      HINDSIGHT_TIMEZONE: "Mars/Olympus_Mons",
      HINDSIGHT_REMINDERS: "sometimes",
      HINDSIGHT_REMIND_COMMANDER_AFTER: "5 minutes",
      HINDSIGHT_REMIND_UPDATE_EVERY: "sev1:15m,sev5:1h",
    });
    expect(problems).toEqual([
      "  - HINDSIGHT_TIMEZONE must be an IANA zone like UTC or Europe/Berlin",
      "  - HINDSIGHT_REMINDERS use true or false",
      '  - HINDSIGHT_REMIND_COMMANDER_AFTER "5 minutes" is not a duration: write it like 90s, 5m or 1h (or off)',
      '  - HINDSIGHT_REMIND_UPDATE_EVERY "sev5:1h" should look like sev1:15m (severities 1 to 4)',
    ]);
    expect(problemsOf({ HINDSIGHT_REMIND_UPDATE_EVERY: "sev1:15m,sev1:5m" })).toEqual([
      "  - HINDSIGHT_REMIND_UPDATE_EVERY sev1 is given twice",
    ]);
    expect(problemsOf({ HINDSIGHT_REMIND_COMMANDER_AFTER: "0m" })).toEqual([
      '  - HINDSIGHT_REMIND_COMMANDER_AFTER "0m" is zero: use off to turn it off',
    ]);
    expect(problemsOf({ HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:30" })).toEqual([
      '  - HINDSIGHT_REMIND_UPDATE_EVERY "30" is not a duration: write it like 90s, 5m or 1h (or off)',
    ]);
  });
});
