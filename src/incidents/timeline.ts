import type { Incident, TimelineEntry } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { UserError } from "../errors.ts";
import { formatUtc } from "./when.ts";

export interface NewEntry {
  at: number;
  text: string;
  kind: TimelineEntry["kind"];
  authorId: string;
  status?: string | null;
  messageId?: number | null;
}

/** Appends a timeline entry with the incident's next display number. */
export function addTimelineEntry(
  repos: Repositories,
  incident: Incident,
  entry: NewEntry,
  now: number,
): TimelineEntry {
  return repos.timeline.append({
    incidentId: incident.id,
    number: repos.incidents.takeTimelineNumber(incident.id),
    createdAt: now,
    ...entry,
  });
}

/** The time bare `HH:MM` input is read near: the latest entry, else the incident's start. */
export function timeAnchor(repos: Repositories, incident: Incident): number {
  return repos.timeline.latestAt(incident.id) ?? incident.startedAt;
}

export function editTimelineEntry(
  repos: Repositories,
  entry: TimelineEntry,
  change: { at: number; text: string },
  actorId: string,
  now: number,
): void {
  followMilestone(repos, entry, change.at);
  repos.timeline.update(entry.id, change.at, change.text);
  repos.state.audit({
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
function followMilestone(repos: Repositories, entry: TimelineEntry, at: number): void {
  if (entry.at === at) return;
  const incident = repos.incidents.get(entry.incidentId)!;
  if (entry.kind === "declared" && entry.at === incident.startedAt) {
    if (incident.resolvedAt !== null && at > incident.resolvedAt) {
      throw new UserError(
        `INC-${incident.id} cannot start after it was resolved (${formatUtc(incident.resolvedAt)})`,
      );
    }
    repos.incidents.setStartedAt(incident.id, at);
  } else if (entry.kind === "resolved" && entry.at === incident.resolvedAt) {
    if (at < incident.startedAt) {
      throw new UserError(
        `INC-${incident.id} cannot be resolved before it started (${formatUtc(incident.startedAt)})`,
      );
    }
    repos.incidents.setResolvedAt(incident.id, at);
  }
}

export function removeTimelineEntry(
  repos: Repositories,
  entry: TimelineEntry,
  actorId: string,
  now: number,
): void {
  repos.timeline.remove(entry.id);
  repos.state.audit({
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
