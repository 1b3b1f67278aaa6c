import type { Incident } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { latestUpdateLines } from "./updates.ts";
import { formatUtc } from "./when.ts";

/** "25 min", "2 h 5 min", "1 d 3 h": how long something took, for people. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function severityLabel(severity: number | null): string {
  return severity === null ? "no severity" : `SEV${severity}`;
}

/** One line per incident for lists. */
export function incidentLine(incident: Incident): string {
  return `INC-${incident.id} ${incident.title} · ${severityLabel(incident.severity)} · ${incident.status} · started ${formatUtc(incident.startedAt)}`;
}

/** The summary card: what `/incident status` shows and adapters pin in the incident's room. */
export function summaryCard(
  repos: Repositories,
  incident: Incident,
  now: number,
): { title: string; text: string } {
  const roles = repos.incidents.roles(incident.id);
  const roleText = ["commander", "comms", "scribe"]
    .map((role) => `${role}: ${roles.find((r) => r.role === role)?.userName ?? "—"}`)
    .join(" · ");
  const end = incident.resolvedAt ?? now;
  const lines = [
    `${severityLabel(incident.severity)} · ${incident.status}`,
    roleText,
    `Started ${formatUtc(incident.startedAt)} · ${incident.resolvedAt === null ? "ongoing for" : "lasted"} ${humanDuration(end - incident.startedAt)}`,
  ];
  if (incident.resolvedAt !== null) lines.push(`Resolved ${formatUtc(incident.resolvedAt)}`);
  const open = repos.actions.list(incident.id).filter((a) => a.doneAt === null);
  lines.push(...latestUpdateLines(repos, incident));
  lines.push(open.length === 0 ? "No open action items" : `Open action items (${open.length}):`);
  for (const a of open.slice(0, 10))
    lines.push(`• ${a.number}. ${a.text}${a.owner ? ` (${a.owner})` : ""}`);
  lines.push(
    `${repos.timeline.count(incident.id)} timeline entries · ${repos.messages.count(incident.id)} messages collected`,
  );
  return { title: `INC-${incident.id}: ${incident.title}`, text: lines.join("\n") };
}
