import { describe, expect, it } from "vitest";
import { durationsOf, milestonesFrom } from "../../src/incidents/milestones.ts";
import { humanDuration } from "../../src/incidents/summary.ts";
import {
  computeDurations,
  durationInWords,
  durationsLine,
} from "../../src/postmortem/durations.ts";
import { at, referenceIncident } from "./referenceIncident.ts";

const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe("humanDuration", () => {
  it.each([
    [0, "0 s"],
    [45 * s, "45 s"],
    [59.4 * s, "59 s"],
    [59.6 * s, "1 min"],
    [25 * min, "25 min"],
    [25 * min + 29 * s, "25 min"],
    [42 * min, "42 min"],
    [60 * min, "1 h"],
    [66 * min, "1 h 6 min"],
    [2 * h + 5 * min, "2 h 5 min"],
    [18 * h + 14 * min, "18 h 14 min"],
    [23 * h + 59 * min + 50 * s, "1 d"],
    // Above a day the minutes stay: 24 h 54 min once printed as "1 d".
    [24 * h + 54 * min, "1 d 54 min"],
    [d + 3 * h, "1 d 3 h"],
    [2 * d + 3 * h + 5 * min, "2 d 3 h 5 min"],
    [3 * d, "3 d"],
  ])("%d ms → %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe("durationInWords", () => {
  it.each([
    [20 * s, "less than a minute"],
    [min, "around 1 minute"],
    [25 * min, "around 25 minutes"],
    [h, "around 1 hour"],
    [2 * h + min, "around 2 hours and 1 minute"],
    [d + h, "around 1 day and 1 hour"],
    [2 * d + 3 * h + 5 * min, "around 2 days, 3 hours and 5 minutes"],
    [2 * d, "around 2 days"],
  ])("%d ms → %s", (ms, text) => {
    expect(durationInWords(ms)).toBe(text);
  });
});

describe("computeDurations", () => {
  it("measures every step from impact-start, using the first status change of each kind", () => {
    const data = referenceIncident();
    data.timeline.push({ at: at("10:40"), text: "again", kind: "status", status: "identified" });
    expect(computeDurations(data)).toEqual({
      detect: null, // nobody marked "detected": never guessed from the declaration
      identify: 10 * min,
      mitigate: 20 * min,
      resolve: 25 * min,
      impact: 20 * min, // impact-end defaults to mitigated
    });
  });

  it("takes marks over status changes and defaults", () => {
    const data = referenceIncident();
    data.timeline.push(
      { at: at("09:50"), text: "x", kind: "milestone", milestone: "impact-start" },
      { at: at("10:02"), text: "x", kind: "milestone", milestone: "detected" },
      { at: at("10:08"), text: "x", kind: "milestone", milestone: "identified" },
      { at: at("10:24"), text: "x", kind: "milestone", milestone: "impact-end" },
    );
    expect(computeDurations(data)).toEqual({
      detect: 12 * min,
      identify: 18 * min,
      mitigate: 30 * min,
      resolve: 35 * min,
      impact: 34 * min,
    });
  });

  it("leaves out every duration whose end is not set", () => {
    const data = referenceIncident();
    data.timeline = [];
    data.incident.resolvedAt = null;
    expect(computeDurations(data)).toEqual({
      detect: null,
      identify: null,
      mitigate: null,
      resolve: null,
      impact: null,
    });
  });

  it("defaults impact-end to the resolution when nothing was mitigated", () => {
    const data = referenceIncident();
    data.timeline = [];
    expect(computeDurations(data)).toMatchObject({ impact: 25 * min, resolve: 25 * min });
  });

  it("gives no duration for an end before impact-start", () => {
    const m = milestonesFrom({ startedAt: at("10:00"), resolvedAt: null }, [
      { at: at("09:55"), kind: "milestone", milestone: "detected" },
    ]);
    expect(durationsOf(m).detect).toBeNull();
  });

  it("measures multi-day incidents to the minute", () => {
    const m = milestonesFrom(
      {
        startedAt: Date.parse("2023-05-01T18:00:00Z"),
        resolvedAt: Date.parse("2023-05-03T21:05:00Z"),
      },
      [{ at: Date.parse("2023-05-02T12:14:00Z"), kind: "status", status: "monitoring" }],
    );
    const durations = durationsOf(m);
    expect(humanDuration(durations.mitigate!)).toBe("18 h 14 min");
    expect(humanDuration(durations.resolve!)).toBe("2 d 3 h 5 min");
  });
});

describe("durationsLine", () => {
  it("lists only the parts that can be computed", () => {
    const base = { detect: null, identify: null, mitigate: null, resolve: null, impact: null };
    expect(durationsLine(base)).toBeNull();
    expect(durationsLine({ ...base, resolve: 2 * h + 5 * min })).toBe(
      "_Time to resolve: 2 h 5 min_",
    );
    expect(durationsLine({ ...base, detect: 45 * s, mitigate: 3 * min })).toBe(
      "_Time to detect: 45 s · to mitigate: 3 min_",
    );
    expect(durationsLine({ ...base, impact: 66 * min, resolve: 70 * min })).toBe(
      "_Impact: 1 h 6 min · time to resolve: 1 h 10 min_",
    );
  });
});
