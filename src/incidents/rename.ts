import { UserError } from "../errors.ts";
import type { Author } from "./lifecycle.ts";
import type { Stores } from "./stores.ts";
import { addTimelineEntry, timeRule } from "./timeline.ts";
import type { Incident } from "./types.ts";

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
  stores: Stores,
  incident: Incident,
  title: string,
  change: { author: Author; now: number },
): Renamed {
  if (incident.title === title)
    throw new UserError(`INC-${incident.id} is already called "${title}"`);
  const onTimeline = timeRule(stores, incident, change.now).mode === "live";
  stores.incidents.setTitle(incident.id, title);
  if (onTimeline) {
    const by = change.author.name === null ? null : ` by ${change.author.name}`;
    addTimelineEntry(
      stores,
      incident,
      {
        at: change.now,
        text: `incident renamed from "${incident.title}" to "${title}"${by ?? ""}`,
        kind: "note",
        typed: false,
        authorId: change.author.id,
        byline: by,
      },
      change.now,
    );
  }
  stores.audit.write({
    incidentId: incident.id,
    at: change.now,
    actorId: change.author.id,
    action: "rename",
    entity: "incident",
    entityId: incident.id,
    before: { title: incident.title },
    after: { title },
  });
  return { incident: stores.incidents.get(incident.id)!, before: incident.title, onTimeline };
}
