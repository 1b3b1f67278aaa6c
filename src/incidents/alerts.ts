import { declareIncident, markMilestone } from "./lifecycle.ts";
import type { Stores } from "./stores.ts";
import { addTimelineEntry } from "./timeline.ts";
import {
  ALERT_SOURCE_NAMES,
  type Incident,
  type ReceivedAlert,
  type ReceivedGroup,
} from "./types.ts";

/** What a rule made of a group's new firing alerts: the incident to declare, and its opener. */
export interface Opening {
  title: string;
  severity: number;
  /** the alert that opened the incident: its start is the incident's, and `detected` */
  alert: ReceivedAlert;
}

/** Picks the opening among alerts not seen before (the rules, src/alerts/rules.ts). */
export type DecideOpening = (fresh: readonly ReceivedAlert[]) => Opening | undefined;

export type AlertOutcome =
  /** nothing recorded: no open incident for the group and no rule matched (only logged) */
  | { kind: "unmatched"; duplicates: number }
  | {
      kind: "declared" | "added";
      incident: Incident;
      /** the timeline lines the new alerts made, oldest first */
      lines: { at: number; text: string }[];
      /** the line noting alerts the sender left out of the group, when one was written now */
      leftOut?: { at: number; text: string };
      duplicates: number;
    };

const stateOf = (a: ReceivedAlert) => a.status;
/** An alert's own time: when it started firing, or when it ended. */
function timeOf(a: ReceivedAlert, now: number): number {
  return a.status === "firing" ? a.startsAt : (a.endsAt ?? now);
}

/** Labels and annotations are anyone's text: one line, no control characters, bounded. */
export function flatText(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const line = text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "alert HighLatency firing on api-1: p99 above 1s" — what the timeline and the room say. */
export function alertLine(a: ReceivedAlert): string {
  const name = flatText(a.labels.alertname ?? "", 200) || "(no alertname)";
  const on = a.labels.instance ? ` on ${flatText(a.labels.instance, 200)}` : "";
  const about = a.annotations.summary ?? a.annotations.description;
  const detail = a.status === "firing" && about ? `: ${flatText(about, 1000)}` : "";
  return `alert ${name} ${a.status}${on}${detail}`;
}

/**
 * One webhook delivery, in the caller's transaction. The group's open incident gets every alert
 * not recorded before, each as a timeline entry at its own time (startsAt, or endsAt once
 * resolved); without one, a rule matching a new firing alert declares an incident (its start and
 * `detected` at that alert's startsAt) and the group belongs to it; otherwise nothing is written.
 * An alert is recorded once per fingerprint, state and time, so a resent group changes nothing.
 */
export function receiveAlertGroup(
  stores: Stores,
  group: ReceivedGroup,
  decide: DecideOpening,
  now: number,
): AlertOutcome {
  const { source, groupKey } = group;
  const keys = new Set<string>();
  // Seen before, or twice in this one delivery: recorded once.
  const fresh = group.alerts.filter((a) => {
    const key = JSON.stringify([a.fingerprint, stateOf(a), timeOf(a, now)]);
    if (keys.has(key)) return false;
    keys.add(key);
    const last = stores.alerts.latestState(source, a.fingerprint);
    // A change of state is news even at a time seen before: Alertmanager sends an alert that
    // fires again after resolving with its first startsAt.
    if (last !== stateOf(a)) return true;
    // A resolution without an endsAt has no time of its own: once resolved is enough.
    if (a.status === "resolved" && a.endsAt === null) return false;
    return !stores.alerts.seen(source, a.fingerprint, stateOf(a), timeOf(a, now));
  });
  const duplicates = group.alerts.length - fresh.length;
  const author = { id: source, name: ALERT_SOURCE_NAMES[source] };
  const bound = stores.alerts.groupIncident(source, groupKey);
  const current = bound === undefined ? undefined : stores.incidents.get(bound);
  let incident = current?.status === "resolved" ? undefined : current;
  let kind: "declared" | "added" = "added";
  if (!incident) {
    const opening = decide(fresh.filter((a) => a.status === "firing"));
    if (!opening) return { kind: "unmatched", duplicates };
    const startedAt = Math.min(opening.alert.startsAt, now);
    incident = declareIncident(stores, {
      title: opening.title,
      severity: opening.severity,
      startedAt,
      declaredAt: now,
      platform: source,
      author,
    });
    stores.alerts.bindGroup(source, groupKey, incident.id, now);
    markMilestone(stores, incident, "detected", {
      at: startedAt,
      typed: true,
      author,
      now,
      note: alertLine(opening.alert),
    });
    kind = "declared";
  }
  const lines: { at: number; text: string }[] = [];
  const byline = ` (${author.name})`;
  const ordered = [...fresh].sort((a, b) => timeOf(a, now) - timeOf(b, now));
  for (const alert of ordered) {
    const at = timeOf(alert, now);
    const text = alertLine(alert);
    const entry = addTimelineEntry(
      stores,
      incident,
      { at, text: `${text}${byline}`, kind: "note", authorId: source, typed: true, byline },
      now,
    );
    stores.alerts.record({
      source,
      fingerprint: alert.fingerprint,
      state: alert.status,
      at,
      incidentId: incident.id,
      entryId: entry.id,
      receivedAt: now,
    });
    lines.push({ at, text });
  }
  const leftOut = noteLeftOut(stores, group, incident, now);
  return {
    kind,
    incident: stores.incidents.get(incident.id) ?? incident,
    lines,
    ...(leftOut ? { leftOut } : {}),
    duplicates,
  };
}

/**
 * A sender capped at `max_alerts` says how many alerts of the group it left out: the timeline
 * notes that the group is bigger than what it shows, once, and again whenever the number has
 * doubled since (an alert storm growing), not at every resend of the group.
 */
function noteLeftOut(
  stores: Stores,
  group: ReceivedGroup,
  incident: Incident,
  now: number,
): { at: number; text: string } | undefined {
  const n = group.truncated;
  if (n <= 0) return undefined;
  const noted = stores.alerts.truncatedNoted(group.source, group.groupKey);
  if (noted > 0 && n < 2 * noted) return undefined;
  const name = ALERT_SOURCE_NAMES[group.source];
  const text = `${n} more alert${n === 1 ? " was" : "s were"} in this group, left out of the webhook by its max alerts setting`;
  const byline = ` (${name})`;
  addTimelineEntry(
    stores,
    incident,
    {
      at: now,
      text: `${text}${byline}`,
      kind: "note",
      authorId: group.source,
      typed: false,
      byline,
    },
    now,
  );
  stores.alerts.noteTruncated(group.source, group.groupKey, n);
  return { at: now, text };
}
