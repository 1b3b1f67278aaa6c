import type { Incident, TimelineEntry } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";

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
