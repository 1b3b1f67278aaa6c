import { humanDuration } from "../incidents/summary.ts";
import type { DraftData } from "./draftData.ts";

/**
 * Incident durations as incident.io, Rootly and FireHydrant report them: every "time to X" is
 * measured from the impact start, the earliest moment the timeline knows about (problems are
 * often noticed, and logged, before anyone declares the incident).
 */
export interface Durations {
  /** earliest timeline entry, or the incident start when that is earlier or there are none */
  impactStart: number;
  /** declared → impact start */
  detect: number | null;
  /** first status change to "identified" */
  identify: number | null;
  /** first status change to "monitoring" (a fix is in place and being watched) */
  mitigate: number | null;
  /** resolved */
  resolve: number | null;
}

/** A moment that precedes the impact start (clock skew, odd back-dating) gives no duration. */
function since(start: number, at: number | null | undefined): number | null {
  return at == null || at < start ? null : at - start;
}

export function computeDurations(data: DraftData): Durations {
  const { incident, timeline } = data;
  let impactStart = incident.startedAt;
  let identified: number | null = null;
  let monitoring: number | null = null;
  // One pass; the timeline is sorted, but the earliest entry is taken by value so that a caller
  // passing an unsorted list still gets a sane impact start.
  for (const entry of timeline) {
    if (entry.at < impactStart) impactStart = entry.at;
    if (entry.kind === "status") {
      if (identified === null && entry.status === "identified") identified = entry.at;
      if (monitoring === null && entry.status === "monitoring") monitoring = entry.at;
    }
  }
  // Declared after it was resolved: a retroactive write-up, so the declaration says nothing about
  // when the problem was detected.
  const retroactive = incident.resolvedAt !== null && incident.declaredAt > incident.resolvedAt;
  return {
    impactStart,
    detect: retroactive ? null : since(impactStart, incident.declaredAt),
    identify: since(impactStart, identified),
    mitigate: since(impactStart, monitoring),
    resolve: since(impactStart, incident.resolvedAt),
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Prose form for the generated intro: "around 25 minutes", "around 2 hours and 5 minutes". */
export function durationInWords(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `around ${plural(minutes, "minute")}`;
  if (minutes < 24 * 60) {
    const h = plural(Math.floor(minutes / 60), "hour");
    const m = minutes % 60;
    return m === 0 ? `around ${h}` : `around ${h} and ${plural(m, "minute")}`;
  }
  const hours = Math.round(ms / HOUR);
  const d = plural(Math.floor(hours / 24), "day");
  const h = hours % 24;
  return h === 0 ? `around ${d}` : `around ${d} and ${plural(h, "hour")}`;
}

/** `_Time to detect: 5 min · to identify: 12 min · to resolve: 25 min_`, or null with no parts. */
export function durationsLine(d: Durations): string | null {
  const parts: string[] = [];
  if (d.detect !== null) parts.push(`detect: ${humanDuration(d.detect)}`);
  if (d.identify !== null) parts.push(`identify: ${humanDuration(d.identify)}`);
  if (d.mitigate !== null) parts.push(`mitigate: ${humanDuration(d.mitigate)}`);
  if (d.resolve !== null) parts.push(`resolve: ${humanDuration(d.resolve)}`);
  return parts.length === 0 ? null : `_Time to ${parts.join(" · to ")}_`;
}
