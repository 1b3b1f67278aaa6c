import { UserError } from "../errors.ts";
import { formatUtc } from "./time/format.ts";
import type { Milestone, TimelineKind } from "./types.ts";

/**
 * An incident's milestones, each a time on its timeline. `declared` is the incident's start,
 * `resolved` its resolution; `/incident mark` sets the others (and can move `resolved`); status
 * `identified` and `monitoring` set `identified` and `mitigated` unless a mark says otherwise.
 */
export interface Milestones {
  declared: number;
  impactStart: number;
  /** true when impact-start is the declared start because nobody marked it */
  impactStartDefault: boolean;
  detected: number | null;
  identified: number | null;
  mitigated: number | null;
  /** impact-end as marked, else mitigated, else resolved */
  impactEnd: number | null;
  impactEndDefault: boolean;
  resolved: number | null;
}

/** What milestonesFrom needs of a timeline entry (storage rows and draft entries both fit). */
export interface MilestoneSource {
  at: number;
  kind: TimelineKind;
  status?: string | null;
  milestone?: Milestone | null;
}

export const MILESTONE_LABELS: Record<Milestone | "declared", string> = {
  declared: "declared",
  "impact-start": "impact started",
  detected: "detected",
  identified: "identified",
  mitigated: "mitigated",
  "impact-end": "impact ended",
  resolved: "resolved",
};

/**
 * Milestones from the incident and its timeline (in time order). A mark wins over a status
 * change; of several status changes to the same status, the first counts (time to identify is
 * measured to the first identification, not to a later one after a reopen).
 */
export function milestonesFrom(
  incident: { startedAt: number; resolvedAt: number | null },
  entries: Iterable<MilestoneSource>,
): Milestones {
  const marks = new Map<Milestone, number>();
  let identified: number | null = null;
  let monitoring: number | null = null;
  for (const e of entries) {
    if (e.kind === "milestone" && e.milestone) marks.set(e.milestone, e.at);
    else if (e.kind === "status") {
      if (identified === null && e.status === "identified") identified = e.at;
      if (monitoring === null && e.status === "monitoring") monitoring = e.at;
    }
  }
  const mitigated = marks.get("mitigated") ?? monitoring;
  const resolved = incident.resolvedAt;
  const impactStart = marks.get("impact-start");
  const impactEnd = marks.get("impact-end");
  return {
    declared: incident.startedAt,
    impactStart: impactStart ?? incident.startedAt,
    impactStartDefault: impactStart === undefined,
    detected: marks.get("detected") ?? null,
    identified: marks.get("identified") ?? identified,
    mitigated,
    impactEnd: impactEnd ?? mitigated ?? resolved,
    impactEndDefault: impactEnd === undefined,
    resolved,
  };
}

/**
 * Refuses milestones that cannot be: an impact that ends before it starts, a resolution before
 * the impact started or before the incident was declared. Any other order is real life
 * (mitigated before identified, after a rollback). `ref` is "INC-7".
 */
export function checkMilestones(ref: string, m: Milestones): void {
  if (!m.impactEndDefault && m.impactEnd !== null && m.impactEnd < m.impactStart) {
    throw new UserError(
      `${ref}'s impact cannot end (${formatUtc(m.impactEnd)}) before it started (impact-start ${formatUtc(m.impactStart)})`,
    );
  }
  if (m.resolved !== null && m.resolved < m.declared) {
    throw new UserError(`${ref} cannot be resolved before it started (${formatUtc(m.declared)})`);
  }
  if (m.resolved !== null && m.resolved < m.impactStart) {
    throw new UserError(
      `${ref} cannot be resolved (${formatUtc(m.resolved)}) before its impact started (impact-start ${formatUtc(m.impactStart)})`,
    );
  }
}

/** Durations in ms, each measured from impact-start; null when its end is not set (or precedes it). */
export interface Durations {
  detect: number | null;
  identify: number | null;
  mitigate: number | null;
  resolve: number | null;
  /** impact-start → impact-end */
  impact: number | null;
}

function since(start: number, end: number | null): number | null {
  return end === null || end < start ? null : end - start;
}

export function durationsOf(m: Milestones): Durations {
  return {
    detect: since(m.impactStart, m.detected),
    identify: since(m.impactStart, m.identified),
    mitigate: since(m.impactStart, m.mitigated),
    resolve: since(m.impactStart, m.resolved),
    impact: since(m.impactStart, m.impactEnd),
  };
}
