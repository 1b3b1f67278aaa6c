import type { Incident, Role, Status } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { UserError } from "../errors.ts";
import { addTimelineEntry } from "./timeline.ts";
import { formatUtc } from "./when.ts";

export interface Declaration {
  title: string;
  severity: number | null;
  startedAt: number;
  declaredAt: number;
  platform: string;
  actorId: string;
  actorName: string;
}

/** Declares INC-N and records "declared" on its timeline at the (possibly back-dated) start. */
export function declareIncident(repos: Repositories, d: Declaration): Incident {
  const incident = repos.incidents.declare({
    title: d.title,
    severity: d.severity,
    startedAt: d.startedAt,
    declaredAt: d.declaredAt,
    platform: d.platform,
    createdBy: d.actorId,
  });
  const sev = d.severity === null ? "" : ` (SEV${d.severity})`;
  addTimelineEntry(
    repos,
    incident,
    {
      at: d.startedAt,
      text: `incident declared by ${d.actorName}${sev}`,
      kind: "declared",
      authorId: d.actorId,
    },
    d.declaredAt,
  );
  return incident;
}

/** Moves the incident to a status and records it; resolving stamps resolved_at. */
export function changeStatus(
  repos: Repositories,
  incident: Incident,
  status: Status,
  change: { at: number; actorId: string; actorName: string; note?: string; now: number },
): Incident {
  if (incident.status === status) {
    throw new UserError(`INC-${incident.id} is already ${status}`);
  }
  if (status === "resolved" && change.at < incident.startedAt) {
    throw new UserError(
      `INC-${incident.id} cannot be resolved before it started (${formatUtc(incident.startedAt)})`,
    );
  }
  const resolvedAt = status === "resolved" ? change.at : null;
  repos.incidents.setStatus(incident.id, status, resolvedAt);
  const note = change.note ? `: ${change.note}` : "";
  const text =
    status === "resolved"
      ? `incident resolved by ${change.actorName}${note}`
      : incident.status === "resolved"
        ? `incident reopened as ${status} by ${change.actorName}${note}`
        : `status changed to ${status} by ${change.actorName}${note}`;
  addTimelineEntry(
    repos,
    incident,
    {
      at: change.at,
      text,
      kind: status === "resolved" ? "resolved" : "status",
      status,
      authorId: change.actorId,
    },
    change.now,
  );
  return repos.incidents.get(incident.id)!;
}

export function changeSeverity(
  repos: Repositories,
  incident: Incident,
  severity: number,
  change: { at: number; actorId: string; actorName: string },
): Incident {
  if (incident.severity === severity)
    throw new UserError(`INC-${incident.id} is already SEV${severity}`);
  repos.incidents.setSeverity(incident.id, severity);
  const from = incident.severity === null ? "" : ` from SEV${incident.severity}`;
  addTimelineEntry(
    repos,
    incident,
    {
      at: change.at,
      text: `severity changed${from} to SEV${severity} by ${change.actorName}`,
      kind: "severity",
      authorId: change.actorId,
    },
    change.at,
  );
  return repos.incidents.get(incident.id)!;
}

export function assignRole(
  repos: Repositories,
  incident: Incident,
  role: Role,
  user: { id: string; name: string },
  change: { at: number; actorId: string; actorName: string },
): Incident {
  repos.incidents.assignRole(incident.id, role, user.id, user.name);
  addTimelineEntry(
    repos,
    incident,
    {
      at: change.at,
      text: `${user.name} is now ${role} (assigned by ${change.actorName})`,
      kind: "role",
      authorId: change.actorId,
    },
    change.at,
  );
  return incident;
}
