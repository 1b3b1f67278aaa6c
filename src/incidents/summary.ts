import { durationsOf, MILESTONE_LABELS, type Milestones } from "./milestones.ts";
import type { Stores } from "./stores.ts";
import { formatUtc } from "./time/format.ts";
import { incidentMilestones, timeRule } from "./timeline.ts";
import type { Incident } from "./types.ts";
import { latestUpdateLines } from "./updates.ts";

/**
 * "42 min", "1 h 6 min", "18 h 14 min", "2 d 3 h 5 min": how long something took, to the nearest
 * minute and never coarser (a day-long incident keeps its minutes); zero parts are left out.
 */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const total = Math.round(s / 60);
  const parts: [number, string][] = [
    [Math.floor(total / 1440), "d"],
    [Math.floor(total / 60) % 24, "h"],
    [total % 60, "min"],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(" ");
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
  stores: Stores,
  incident: Incident,
  now: number,
): { title: string; text: string } {
  const roles = stores.incidents.roles(incident.id);
  const roleText = ["commander", "comms", "scribe"]
    .map((role) => `${role}: ${roles.find((r) => r.role === role)?.userName ?? "—"}`)
    .join(" · ");
  const milestones = incidentMilestones(stores, incident);
  // "Ongoing for" only while it is live: an old incident being written up has not been going on
  // for years, it was just never resolved in the bot.
  const live = incident.resolvedAt === null && timeRule(stores, incident, now).mode === "live";
  const lines = [
    `${severityLabel(incident.severity)} · ${incident.status}`,
    roleText,
    `Started ${formatUtc(incident.startedAt)}${live ? ` · ongoing for ${humanDuration(now - incident.startedAt)}` : ""}`,
    ...milestoneLines(milestones),
  ];
  const open = stores.actions.list(incident.id).filter((a) => a.doneAt === null);
  lines.push(...latestUpdateLines(stores, incident));
  lines.push(open.length === 0 ? "No open action items" : `Open action items (${open.length}):`);
  for (const a of open.slice(0, 10))
    lines.push(
      `• ${a.number}. ${a.text}${a.owner ? ` (${a.owner})` : ""}${a.link ? ` → ${a.link.ref} ${a.link.url}` : ""}`,
    );
  lines.push(
    `${stores.timeline.count(incident.id)} timeline entries · ${stores.messages.count(incident.id)} messages collected`,
  );
  return { title: `INC-${incident.id}: ${incident.title}`, text: lines.join("\n") };
}

/** "Milestones: impact started … · detected …" and "Impact 25 min · time to detect …". */
function milestoneLines(m: Milestones): string[] {
  const set: [string, number | null, boolean][] = [
    [MILESTONE_LABELS["impact-start"], m.impactStart, m.impactStartDefault],
    [MILESTONE_LABELS.detected, m.detected, false],
    [MILESTONE_LABELS.identified, m.identified, false],
    [MILESTONE_LABELS.mitigated, m.mitigated, false],
    [MILESTONE_LABELS["impact-end"], m.impactEnd, m.impactEndDefault],
    [MILESTONE_LABELS.resolved, m.resolved, false],
  ];
  const shown = set
    .filter(([, at]) => at !== null)
    .map(([label, at, isDefault]) => `${label} ${formatUtc(at!)}${isDefault ? " (default)" : ""}`);
  const d = durationsOf(m);
  const parts: string[] = [];
  if (d.impact !== null) parts.push(`impact ${humanDuration(d.impact)}`);
  const times: [string, number | null][] = [
    ["detect", d.detect],
    ["identify", d.identify],
    ["mitigate", d.mitigate],
    ["resolve", d.resolve],
  ];
  for (const [what, ms] of times) if (ms !== null) parts.push(`to ${what} ${humanDuration(ms)}`);
  const lines = [`Milestones: ${shown.join(" · ")}`];
  if (parts.length > 0) lines.push(`Durations: ${parts.join(" · ")}`);
  return lines;
}
