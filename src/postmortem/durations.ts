import type { DraftData } from "../incidents/draftData.ts";
import {
  type Durations,
  durationsOf,
  type Milestones,
  milestonesFrom,
} from "../incidents/milestones.ts";
import { humanDuration } from "../incidents/summary.ts";

export type { Durations, Milestones };

/**
 * The draft's milestones and durations, from the incident and its timeline alone. Every "time to
 * X" runs from impact-start (by default the declared start), never from whichever entry happens
 * to come first: context lines logged before the impact ("news reports…") are not impact.
 */
export function computeMilestones(data: DraftData): Milestones {
  return milestonesFrom(data.incident, data.timeline);
}

export function computeDurations(data: DraftData): Durations {
  return durationsOf(computeMilestones(data));
}

const MINUTE = 60_000;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * Prose form for the generated intro: "around 25 minutes", "around 2 hours and 5 minutes",
 * "around 1 day, 3 hours and 5 minutes" (to the minute, like every duration in the draft).
 */
export function durationInWords(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 1) return "less than a minute";
  const parts = [
    [Math.floor(minutes / 1440), "day"],
    [Math.floor(minutes / 60) % 24, "hour"],
    [minutes % 60, "minute"],
  ] as const;
  const words = parts.filter(([n]) => n > 0).map(([n, unit]) => plural(n, unit));
  const last = words.pop()!;
  return `around ${words.length === 0 ? last : `${words.join(", ")} and ${last}`}`;
}

/**
 * `_Impact: 25 min · time to detect: 5 min · to identify: 10 min · to mitigate: 20 min · to
 * resolve: 25 min_`, only the parts whose end is set; null with none.
 */
export function durationsLine(d: Durations): string | null {
  const parts: string[] = [];
  if (d.detect !== null) parts.push(`detect: ${humanDuration(d.detect)}`);
  if (d.identify !== null) parts.push(`identify: ${humanDuration(d.identify)}`);
  if (d.mitigate !== null) parts.push(`mitigate: ${humanDuration(d.mitigate)}`);
  if (d.resolve !== null) parts.push(`resolve: ${humanDuration(d.resolve)}`);
  const times = parts.length === 0 ? [] : [`time to ${parts.join(" · to ")}`];
  const all = [...(d.impact == null ? [] : [`impact: ${humanDuration(d.impact)}`]), ...times];
  if (all.length === 0) return null;
  const text = all.join(" · ");
  return `_${text.charAt(0).toUpperCase()}${text.slice(1)}_`;
}
