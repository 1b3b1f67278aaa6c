import { UserError } from "../errors.ts";
import { checkMilestones, MILESTONE_LABELS } from "./milestones.ts";
import type { Stores } from "./stores.ts";
import { addTimelineEntry, incidentMilestones } from "./timeline.ts";
import type { Incident, Milestone, Role, Status } from "./types.ts";

/**
 * Who did something, for the bot's own timeline lines. `name` is a chat display name, or null
 * when there is none to give (a terminal session knows only the operating-system account, which
 * never belongs in a post-mortem).
 */
export interface Author {
  id: string;
  name: string | null;
}

/** The author of a change: a terminal session's OS account is not a name to print. */
export function authorOf(actor: { id: string; name: string; osAccount?: boolean }): Author {
  return { id: actor.id, name: actor.osAccount ? null : actor.name };
}

/** A state change: when it happened, whether that time was typed (`--at`), and by whom. */
export interface Change {
  at: number;
  typed: boolean;
  author: Author;
  now: number;
}

export interface Declaration {
  title: string;
  severity: number | null;
  startedAt: number;
  declaredAt: number;
  platform: string;
  author: Author;
}

/** " by alice", or nothing without a display name. */
function byline(author: Author, words = "by"): string | null {
  return author.name === null ? null : ` ${words} ${author.name}`;
}

/** Declares INC-N and records "declared" on its timeline at the (possibly back-dated) start. */
export function declareIncident(stores: Stores, d: Declaration): Incident {
  const incident = stores.incidents.declare({
    title: d.title,
    severity: d.severity,
    startedAt: d.startedAt,
    declaredAt: d.declaredAt,
    platform: d.platform,
    createdBy: d.author.id,
  });
  const sev = d.severity === null ? "" : ` (SEV${d.severity})`;
  const by = byline(d.author);
  addTimelineEntry(
    stores,
    incident,
    {
      at: d.startedAt,
      text: `incident declared${by ?? ""}${sev}`,
      kind: "declared",
      authorId: d.author.id,
      // The declared start is part of the anchor by definition, back-dated or not.
      typed: true,
      byline: by,
    },
    d.declaredAt,
  );
  return incident;
}

/** Moves the incident to a status and records it; resolving stamps resolved_at. */
export function changeStatus(
  stores: Stores,
  incident: Incident,
  status: Status,
  change: Change & { note?: string },
): Incident {
  if (incident.status === status) {
    throw new UserError(`INC-${incident.id} is already ${status}`);
  }
  const resolvedAt = status === "resolved" ? change.at : null;
  stores.incidents.setStatus(incident.id, status, resolvedAt);
  const note = change.note ? `: ${change.note}` : "";
  const by = byline(change.author);
  const text =
    status === "resolved"
      ? `incident resolved${by ?? ""}${note}`
      : incident.status === "resolved"
        ? `incident reopened as ${status}${by ?? ""}${note}`
        : `status changed to ${status}${by ?? ""}${note}`;
  addTimelineEntry(
    stores,
    incident,
    {
      at: change.at,
      text,
      kind: status === "resolved" ? "resolved" : "status",
      status,
      authorId: change.author.id,
      typed: change.typed,
      byline: by,
    },
    change.now,
  );
  const updated = stores.incidents.get(incident.id)!;
  checkMilestones(`INC-${incident.id}`, incidentMilestones(stores, updated));
  return updated;
}

export function changeSeverity(
  stores: Stores,
  incident: Incident,
  severity: number,
  change: Change,
): Incident {
  if (incident.severity === severity)
    throw new UserError(`INC-${incident.id} is already SEV${severity}`);
  stores.incidents.setSeverity(incident.id, severity);
  const from = incident.severity === null ? "" : ` from SEV${incident.severity}`;
  const by = byline(change.author);
  addTimelineEntry(
    stores,
    incident,
    {
      at: change.at,
      text: `severity changed${from} to SEV${severity}${by ?? ""}`,
      kind: "severity",
      authorId: change.author.id,
      typed: change.typed,
      byline: by,
    },
    change.now,
  );
  return stores.incidents.get(incident.id)!;
}

export function assignRole(
  stores: Stores,
  incident: Incident,
  role: Role,
  user: { id: string; name: string },
  change: Change,
): Incident {
  stores.incidents.assignRole(incident.id, role, user.id, user.name);
  const by = byline(change.author, "(assigned by");
  addTimelineEntry(
    stores,
    incident,
    {
      at: change.at,
      text: `${user.name} is now ${role}${by === null ? "" : `${by})`}`,
      kind: "role",
      authorId: change.author.id,
      typed: change.typed,
      byline: by === null ? null : `${by})`,
    },
    change.now,
  );
  return incident;
}

/**
 * Sets or moves a milestone. A milestone already set by a mark moves with its entry (one mark
 * per milestone on the timeline, the move kept in the audit log); `resolved` is the resolution
 * itself, so marking it resolves an open incident or moves the resolution. Impossible orders are
 * refused with the reason, and nothing is written then (the command's transaction rolls back).
 */
export function markMilestone(
  stores: Stores,
  incident: Incident,
  milestone: Milestone,
  change: Change & { note?: string },
): { incident: Incident; moved: boolean } {
  if (milestone === "resolved") return markResolved(stores, incident, change);
  const by = byline(change.author, "(marked by");
  const bylineText = by === null ? null : `${by})`;
  const text = `${MILESTONE_LABELS[milestone]}${bylineText ?? ""}${change.note ? `: ${change.note}` : ""}`;
  const previous = stores.timeline.markOf(incident.id, milestone);
  if (previous) {
    stores.timeline.update(previous.id, change.at, text);
    stores.audit.write({
      incidentId: incident.id,
      at: change.now,
      actorId: change.author.id,
      action: "edit",
      entity: "timeline",
      entityId: previous.id,
      before: { number: previous.number, at: previous.at, text: previous.text },
      after: { number: previous.number, at: change.at, text },
    });
  } else {
    addTimelineEntry(
      stores,
      incident,
      {
        at: change.at,
        text,
        kind: "milestone",
        milestone,
        authorId: change.author.id,
        typed: change.typed,
        byline: bylineText,
      },
      change.now,
    );
  }
  checkMilestones(`INC-${incident.id}`, incidentMilestones(stores, incident));
  return { incident, moved: previous !== undefined };
}

function markResolved(
  stores: Stores,
  incident: Incident,
  change: Change & { note?: string },
): { incident: Incident; moved: boolean } {
  if (incident.status !== "resolved") {
    return { incident: changeStatus(stores, incident, "resolved", change), moved: false };
  }
  const entry = stores.timeline.latestOfKind(incident.id, "resolved");
  if (entry && entry.at === incident.resolvedAt) {
    const text = change.note ? `${entry.text}; ${change.note}` : entry.text;
    stores.timeline.update(entry.id, change.at, text);
    stores.audit.write({
      incidentId: incident.id,
      at: change.now,
      actorId: change.author.id,
      action: "edit",
      entity: "timeline",
      entityId: entry.id,
      before: { number: entry.number, at: entry.at, text: entry.text },
      after: { number: entry.number, at: change.at, text },
    });
  }
  stores.incidents.setResolvedAt(incident.id, change.at);
  const updated = stores.incidents.get(incident.id)!;
  checkMilestones(`INC-${incident.id}`, incidentMilestones(stores, updated));
  return { incident: updated, moved: true };
}
