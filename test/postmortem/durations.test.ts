import { describe, expect, it } from "vitest";
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
    [60 * min, "1 h"],
    [2 * h + 5 * min, "2 h 5 min"],
    [23 * h + 59 * min + 50 * s, "1 d"],
    [d + 3 * h, "1 d 3 h"],
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
    [2 * d, "around 2 days"],
  ])("%d ms → %s", (ms, text) => {
    expect(durationInWords(ms)).toBe(text);
  });
});

describe("computeDurations", () => {
  it("measures every step from the impact start, using the first status change of each kind", () => {
    const data = referenceIncident();
    data.timeline.push({ at: at("10:40"), text: "again", kind: "status", status: "identified" });
    expect(computeDurations(data)).toEqual({
      impactStart: at("10:00"),
      detect: 5 * min,
      identify: 10 * min,
      mitigate: 20 * min,
      resolve: 25 * min,
    });
  });

  it("starts at the incident start when no entry is earlier", () => {
    const data = referenceIncident();
    data.timeline = [];
    data.incident.startedAt = at("10:03");
    expect(computeDurations(data)).toMatchObject({
      impactStart: at("10:03"),
      detect: 2 * min,
      identify: null,
      mitigate: null,
      resolve: 22 * min,
    });
  });

  it("gives no duration for a moment before the impact start", () => {
    const data = referenceIncident();
    data.incident.declaredAt = at("09:00");
    expect(computeDurations(data).detect).toBeNull();
  });

  it("gives no time to detect for an incident declared after it was resolved (a retroactive write-up)", () => {
    const data = referenceIncident();
    data.incident.declaredAt = Date.parse("2026-11-24T09:00:00Z");
    expect(computeDurations(data)).toMatchObject({ detect: null, resolve: 25 * min });
  });
});

describe("durationsLine", () => {
  it("lists only the parts that can be computed", () => {
    const base = { impactStart: 0, detect: null, identify: null, mitigate: null, resolve: null };
    expect(durationsLine(base)).toBeNull();
    expect(durationsLine({ ...base, resolve: 2 * h + 5 * min })).toBe(
      "_Time to resolve: 2 h 5 min_",
    );
    expect(durationsLine({ ...base, detect: 45 * s, mitigate: 3 * min })).toBe(
      "_Time to detect: 45 s · to mitigate: 3 min_",
    );
  });
});
