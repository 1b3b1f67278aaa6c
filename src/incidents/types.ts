/** Rows as the domain sees them. Times are ms since the epoch, UTC. */
export type Status = "investigating" | "identified" | "monitoring" | "resolved";
export const STATUSES: readonly Status[] = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
];
export type Role = "commander" | "comms" | "scribe";
export const ROLES: readonly Role[] = ["commander", "comms", "scribe"];
export type Platform = "console" | "slack" | "matrix";

export interface Incident {
  id: number;
  title: string;
  severity: number | null;
  status: Status;
  startedAt: number;
  declaredAt: number;
  resolvedAt: number | null;
  platform: string;
  createdBy: string;
}

/** Milestones `/incident mark` can set or move (`declared` is the incident's start). */
export type Milestone =
  | "impact-start"
  | "detected"
  | "identified"
  | "mitigated"
  | "impact-end"
  | "resolved";
export const MILESTONES: readonly Milestone[] = [
  "impact-start",
  "detected",
  "identified",
  "mitigated",
  "impact-end",
  "resolved",
];

export type TimelineKind =
  | "note"
  | "declared"
  | "status"
  | "severity"
  | "role"
  | "resolved"
  | "pin"
  | "tag"
  | "milestone";

export interface TimelineEntry {
  id: number;
  incidentId: number;
  number: number;
  at: number;
  text: string;
  kind: TimelineKind;
  status: string | null;
  authorId: string;
  messageId: number | null;
  /** the time was typed (a `<when>`, `--at`, a message's own time), not stamped "now" by the bot */
  typed: boolean;
  /** for kind "milestone": the milestone this entry sets */
  milestone: Milestone | null;
  /** the part of a bot line that names its author (" by alice"), removable in drafts */
  byline: string | null;
}

export interface ActionItem {
  id: number;
  incidentId: number;
  number: number;
  text: string;
  owner: string | null;
  due: string | null;
  doneAt: number | null;
  /** null: never exported; "pending": the tracker may or may not have it yet (see trackers/) */
  exportState: "pending" | "exported" | null;
  exportPendingAt: number | null;
  /** when the tracker sync ticked it off because its issue was closed */
  trackerClosedAt: number | null;
  /** the issue in the tracker, once exported */
  link: TrackerLink | null;
}

export type TrackerKind = "github" | "gitlab" | "jira";

/** An action item's issue: `ref` as people write it (`#12`, `OPS-7`), `id` as the API wants it. */
export interface TrackerLink {
  tracker: TrackerKind;
  id: string;
  ref: string;
  url: string;
}

export interface SectionItem {
  id: number;
  section: string;
  kind: "paragraph" | "bullet";
  text: string;
}

export interface StoredMessage {
  id: number;
  incidentId: number;
  platform: string;
  roomId: string;
  eventId: string;
  authorId: string;
  at: number;
  text: string;
  deletedAt: number | null;
}

export interface RoleAssignment {
  role: Role;
  userId: string;
  userName: string;
}

/** `/incident update`: what stakeholders were told, as posted. */
export interface StatusUpdate {
  id: number;
  incidentId: number;
  at: number;
  text: string;
  authorId: string;
  authorName: string;
}

export type ReminderKind = "commander" | "update" | "resolve" | "overdue";
export const REMINDER_KINDS: readonly ReminderKind[] = [
  "commander",
  "update",
  "resolve",
  "overdue",
];

/** Who sends alerts in (`POST /alerts/<source>`). */
export type AlertSource = "alertmanager" | "grafana";
export const ALERT_SOURCE_NAMES: Record<AlertSource, string> = {
  alertmanager: "Alertmanager",
  grafana: "Grafana",
};

/** One alert of a delivered group, as both senders describe it. Times in ms. */
export interface ReceivedAlert {
  /** the sender's id of the alert (a hash of its labels) */
  fingerprint: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** null when the sender left it unset (Go's zero time, firing alerts) */
  endsAt: number | null;
}

/** One webhook delivery: a sender's alert group as it stands now (all its alerts, every time). */
export interface ReceivedGroup {
  source: AlertSource;
  groupKey: string;
  alerts: ReceivedAlert[];
  /** alerts of the group the sender left out of this delivery (Alertmanager's max_alerts) */
  truncated: number;
}
