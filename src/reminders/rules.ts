import { SECTIONS } from "../incidents/sections.ts";
import type { OverdueItem, ReminderStores } from "../incidents/stores.ts";
import { humanDuration } from "../incidents/summary.ts";
import type { Incident, ReminderKind } from "../incidents/types.ts";
import { type ReminderSettings, UNRATED_SEVERITY } from "./settings.ts";

/** A reminder that is due; `occurrence` tells it apart from earlier ones of its kind. */
export interface Candidate {
  incidentId: number;
  kind: ReminderKind;
  occurrence: string;
  text: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A write-up entered after the fact: its start lies more than a day before it was declared (the
 * time rule's threshold for "not live"). Nobody is responding to it, so it is never reminded.
 */
export const isBackDated = (incident: Incident): boolean =>
  incident.declaredAt - incident.startedAt >= DAY_MS;

/** Nothing recorded for a day: not a live response any more, so no cadence reminders. */
function isDormant(repos: ReminderStores, incident: Incident, now: number): boolean {
  const latest = Math.max(incident.declaredAt, repos.reminders.latestActivity(incident.id) ?? 0);
  return now - latest >= DAY_MS;
}

function commander(repos: ReminderStores, incident: Incident, s: ReminderSettings, now: number) {
  if (s.commanderAfterMs === null || now < incident.declaredAt + s.commanderAfterMs) return [];
  if (repos.incidents.roles(incident.id).some((r) => r.role === "commander")) return [];
  return [
    {
      incidentId: incident.id,
      kind: "commander" as const,
      occurrence: "declared",
      text: `INC-${incident.id} has had no commander for ${humanDuration(now - incident.declaredAt)}. Someone take it: /incident role commander me (or /incident role commander @someone).`,
    },
  ];
}

/** Once per silence: the clock starts at the declaration, each update and each severity change. */
function update(repos: ReminderStores, incident: Incident, s: ReminderSettings, now: number) {
  const severity = (incident.severity ?? UNRATED_SEVERITY) as 1 | 2 | 3 | 4;
  const every = s.updateEveryMs[severity];
  if (every === null) return [];
  const since = Math.max(
    incident.declaredAt,
    repos.reminders.latestUpdateAt(incident.id) ?? 0,
    repos.reminders.latestSeverityChangeAt(incident.id) ?? 0,
  );
  if (now < since + every) return [];
  const sev = incident.severity === null ? "no severity" : `SEV${incident.severity}`;
  return [
    {
      incidentId: incident.id,
      kind: "update" as const,
      occurrence: String(since),
      text: `INC-${incident.id} (${sev}) has had no status update for ${humanDuration(now - since)}. Tell stakeholders where things stand: /incident update <text>.`,
    },
  ];
}

const itemLine = (a: OverdueItem): string => {
  const extra = [a.owner, a.due === null ? null : `due ${a.due}`].filter((x) => x !== null);
  return `#${a.number} ${a.text}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`;
};

/**
 * One message at each resolution: what the write-up still lacks. The summary is left out: the
 * draft writes an intro of its own when it is empty.
 */
export function resolveSummary(repos: ReminderStores, incident: Incident): string {
  const open = repos.actions.list(incident.id).filter((a) => a.doneAt === null);
  const written = new Set(
    repos.sections
      .all(incident.id)
      .filter((item) => item.text.trim() !== "")
      .map((item) => item.section),
  );
  const empty = SECTIONS.filter((s) => s !== "summary" && !written.has(s));
  if (open.length === 0 && empty.length === 0)
    return `INC-${incident.id} is resolved, every action item is done and every section is written: /postmortem draft renders the write-up.`;
  const lines = [`INC-${incident.id} is resolved. Still to do for the write-up:`];
  if (open.length > 0)
    lines.push(
      `• ${open.length} open action item${open.length === 1 ? "" : "s"}: ${open.map(itemLine).join("; ")} (/action done <n> when finished)`,
    );
  if (empty.length > 0)
    lines.push(`• empty sections: ${empty.join(", ")} (/postmortem set <section> <text>)`);
  lines.push("Then /postmortem draft.");
  return lines.join("\n");
}

/** Every reminder due at `now` by the rules alone; which were posted already is not asked here. */
export function dueCandidates(
  repos: ReminderStores,
  s: ReminderSettings,
  now: number,
): Candidate[] {
  const out: Candidate[] = [];
  for (const incident of repos.incidents.list({ all: false }).reverse()) {
    if (isBackDated(incident) || isDormant(repos, incident, now)) continue;
    out.push(...commander(repos, incident, s, now), ...update(repos, incident, s, now));
  }
  // A resolution recorded within the day; a reopened incident waits for its next resolution.
  for (const { incidentId, entryId } of repos.reminders.resolvedSince(now - DAY_MS)) {
    const incident = repos.incidents.get(incidentId);
    if (incident?.status !== "resolved" || isBackDated(incident)) continue;
    const text = resolveSummary(repos, incident);
    out.push({ incidentId, kind: "resolve", occurrence: String(entryId), text });
  }
  // Past due: the day after the due date, in UTC; once per incident per day.
  const today = new Date(now).toISOString().slice(0, 10);
  const byIncident = new Map<number, OverdueItem[]>();
  for (const item of repos.reminders.overdue(today))
    byIncident.set(item.incidentId, [...(byIncident.get(item.incidentId) ?? []), item]);
  for (const [incidentId, items] of byIncident) {
    const incident = repos.incidents.get(incidentId);
    if (!incident || isBackDated(incident)) continue;
    const what = items.length === 1 ? "1 action item is" : `${items.length} action items are`;
    out.push({
      incidentId,
      kind: "overdue",
      occurrence: today,
      text: `INC-${incidentId}: ${what} past due: ${items.map(itemLine).join("; ")}. Close each with /action done <n>, or give it a new date with /action edit <n> --due <date>.`,
    });
  }
  return out;
}
