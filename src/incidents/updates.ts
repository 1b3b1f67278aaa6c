import type { Stores } from "./stores.ts";
import { formatUtc } from "./time/format.ts";
import { addTimelineEntry, timeRule } from "./timeline.ts";
import type { Incident, StatusUpdate } from "./types.ts";

/**
 * `/incident update`: kept as posted (what stakeholders were told) and on the timeline, so the
 * draft has it; the timeline entry is the write-up's and can be edited like any other. In a
 * write-up (the incident's latest time more than a day ago) it stays off the timeline: a line
 * stamped today would land in a published timeline of another day.
 */
export function postUpdate(
  repos: Stores,
  incident: Incident,
  update: { at: number; text: string; actorId: string; actorName: string },
): { update: StatusUpdate; onTimeline: boolean } {
  const onTimeline = timeRule(repos, incident, update.at).mode === "live";
  const posted = repos.updates.add({
    incidentId: incident.id,
    at: update.at,
    text: update.text,
    authorId: update.actorId,
    authorName: update.actorName,
  });
  if (!onTimeline) return { update: posted, onTimeline };
  addTimelineEntry(
    repos,
    incident,
    // Stamped with the message's own time, as an untimed /timeline add is: not a typed time.
    {
      at: update.at,
      text: `status update: ${update.text}`,
      kind: "note",
      authorId: update.actorId,
      typed: false,
    },
    update.at,
  );
  return { update: posted, onTimeline };
}

/** The summary card's "latest update" line; none before the first update. */
export function latestUpdateLines(repos: Stores, incident: Incident): string[] {
  const latest = repos.updates.latest(incident.id);
  return latest
    ? [`Latest update (${formatUtc(latest.at)}, ${latest.authorName}): ${latest.text}`]
    : [];
}

/** The update as the incident's room and the announce channel/room see it (plain text). */
export function updateAnnouncement(incident: Incident, update: StatusUpdate): string {
  const sev = incident.severity === null ? "" : ` · SEV${incident.severity}`;
  return `INC-${incident.id} update (${incident.title}${sev} · ${incident.status}): ${update.text} (${update.authorName}, ${formatUtc(update.at)})`;
}
