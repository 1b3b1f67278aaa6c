import { UserError } from "../errors.ts";
import { checkMilestones, type Milestones, milestonesFrom } from "./milestones.ts";
import type { Stores } from "./stores.ts";
import { formatUtc } from "./time/format.ts";
import type { Incident, Milestone, TimelineEntry } from "./types.ts";

export interface NewEntry {
  at: number;
  text: string;
  kind: TimelineEntry["kind"];
  authorId: string;
  /**
   * The time was typed by a person (`<when>`, `--at`) or carried by a message (pins, tags), or is
   * the declared start; false when the bot stamped the current time itself. Only typed times
   * move the anchor bare times are read against.
   */
  typed: boolean;
  status?: string | null;
  messageId?: number | null;
  milestone?: Milestone | null;
  /** the part of `text` that names the author (" by alice"), left out of drafts on request */
  byline?: string | null;
}

/** Appends a timeline entry with the incident's next display number. */
export function addTimelineEntry(
  stores: Stores,
  incident: Incident,
  entry: NewEntry,
  now: number,
): TimelineEntry {
  return stores.timeline.append({
    incidentId: incident.id,
    number: stores.incidents.nextTimelineNumber(incident.id),
    createdAt: now,
    ...entry,
  });
}

const DAY_MS = 86_400_000;
/** Entries whose time is (or may be) a milestone: moving one is checked like a mark. */
const MILESTONE_KINDS = new Set<TimelineEntry["kind"]>([
  "declared",
  "resolved",
  "status",
  "milestone",
]);

/**
 * How bare times are read in an incident. Its anchor is the latest *typed* time (the declared
 * start counts; entries the bot stamped "now" never do). Live while the anchor is less than 24 h
 * before now: a bare time is its most recent occurrence. Otherwise it is being written up: a bare
 * time is the occurrence nearest the anchor, and state changes must say when (`--at`).
 */
export type TimeRule = { mode: "live" } | { mode: "write-up"; anchor: number };

export function timeRule(stores: Stores, incident: Incident, now: number): TimeRule {
  // The anchor is never before the start: an incident started less than a day ago is live,
  // whatever its entries hold, without reading them (every /timeline add asks).
  if (now - incident.startedAt < DAY_MS) return { mode: "live" };
  const typed = stores.timeline.latestTypedAt(incident.id);
  const anchor = typed === undefined ? incident.startedAt : Math.max(typed, incident.startedAt);
  return now - anchor < DAY_MS ? { mode: "live" } : { mode: "write-up", anchor };
}

/** The incident's milestones as they stand (reads only the entries that set some). */
export function incidentMilestones(stores: Stores, incident: Incident): Milestones {
  return milestonesFrom(incident, stores.timeline.milestoneEntries(incident.id));
}

export function editTimelineEntry(
  stores: Stores,
  entry: TimelineEntry,
  change: { at: number; text: string },
  actorId: string,
  now: number,
): void {
  followMilestone(stores, entry, change.at);
  stores.timeline.update(entry.id, change.at, change.text);
  if (entry.at !== change.at && MILESTONE_KINDS.has(entry.kind)) {
    const incident = stores.incidents.get(entry.incidentId)!;
    checkMilestones(`INC-${incident.id}`, incidentMilestones(stores, incident));
  }
  stores.audit.write({
    incidentId: entry.incidentId,
    at: now,
    actorId,
    action: "edit",
    entity: "timeline",
    entityId: entry.id,
    before: { number: entry.number, at: entry.at, text: entry.text },
    after: { number: entry.number, ...change },
  });
}

/**
 * The "declared" and "resolved" entries are the incident's start and end: moving one moves the
 * incident's own time with it, so durations, the intro and the file name follow the timeline.
 */
function followMilestone(stores: Stores, entry: TimelineEntry, at: number): void {
  if (entry.at === at) return;
  const incident = stores.incidents.get(entry.incidentId)!;
  if (entry.kind === "declared" && entry.at === incident.startedAt) {
    if (incident.resolvedAt !== null && at > incident.resolvedAt) {
      throw new UserError(
        `INC-${incident.id} cannot start after it was resolved (${formatUtc(incident.resolvedAt)})`,
      );
    }
    stores.incidents.setStartedAt(incident.id, at);
  } else if (entry.kind === "resolved" && entry.at === incident.resolvedAt) {
    if (at < incident.startedAt) {
      throw new UserError(
        `INC-${incident.id} cannot be resolved before it started (${formatUtc(incident.startedAt)})`,
      );
    }
    stores.incidents.setResolvedAt(incident.id, at);
  }
}

export function removeTimelineEntry(
  stores: Stores,
  entry: TimelineEntry,
  actorId: string,
  now: number,
): void {
  stores.timeline.remove(entry.id);
  stores.audit.write({
    incidentId: entry.incidentId,
    at: now,
    actorId,
    action: "remove",
    entity: "timeline",
    entityId: entry.id,
    before: { number: entry.number, at: entry.at, text: entry.text, kind: entry.kind },
    after: null,
  });
}
