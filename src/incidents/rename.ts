import type { Incident } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { UserError } from "../errors.ts";
import { addTimelineEntry, timeAnchor } from "./timeline.ts";

const DAY_MS = 86_400_000;

export interface Renamed {
  incident: Incident;
  before: string;
  /** false when the incident is being written up: the rename is a correction, not an event */
  onTimeline: boolean;
}

/**
 * A new title, kept in the audit log. While the incident is live the rename is something that
 * happened and goes on the timeline, stamped now. In a write-up (the incident's latest time more
 * than a day ago) it corrects the record: a timeline line dated today would land in the published
 * post-mortem among lines from another day, so it is kept in the audit log only.
 */
export function renameIncident(
  repos: Repositories,
  incident: Incident,
  title: string,
  change: { actorId: string; actorName: string; now: number },
): Renamed {
  if (incident.title === title)
    throw new UserError(`INC-${incident.id} is already called "${title}"`);
  const onTimeline = change.now - timeAnchor(repos, incident) < DAY_MS;
  repos.incidents.setTitle(incident.id, title);
  if (onTimeline) {
    addTimelineEntry(
      repos,
      incident,
      {
        at: change.now,
        text: `incident renamed from "${incident.title}" to "${title}" by ${change.actorName}`,
        kind: "note",
        authorId: change.actorId,
      },
      change.now,
    );
  }
  repos.state.audit({
    incidentId: incident.id,
    at: change.now,
    actorId: change.actorId,
    action: "rename",
    entity: "incident",
    entityId: incident.id,
    before: { title: incident.title },
    after: { title },
  });
  return { incident: repos.incidents.get(incident.id)!, before: incident.title, onTimeline };
}
