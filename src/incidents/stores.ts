import type {
  ActionItem,
  AlertSource,
  Incident,
  Milestone,
  ReminderKind,
  Role,
  RoleAssignment,
  SectionItem,
  Status,
  StatusUpdate,
  StoredMessage,
  TimelineEntry,
  TrackerKind,
  TrackerLink,
} from "./types.ts";

/**
 * The repositories the domain needs, as interfaces: storage/ implements them over SQLite, the
 * domain and the core see only these. Times are ms since the epoch, UTC.
 */

export interface NewIncident {
  title: string;
  severity: number | null;
  startedAt: number;
  declaredAt: number;
  platform: string;
  createdBy: string;
}

export interface IncidentStore {
  declare(incident: NewIncident): Incident;
  get(id: number): Incident | undefined;
  findByRoom(platform: string, roomId: string): Incident | undefined;
  list(options: { all: boolean }): Incident[];
  countOpen(): number;
  bindRoom(incidentId: number, platform: string, roomId: string): void;
  rooms(incidentId: number): { platform: string; roomId: string }[];
  setStatus(id: number, status: Status, resolvedAt: number | null): void;
  setStartedAt(id: number, at: number): void;
  setResolvedAt(id: number, at: number): void;
  setSeverity(id: number, severity: number): void;
  setTitle(id: number, title: string): void;
  assignRole(id: number, role: Role, userId: string, userName: string): void;
  roles(id: number): RoleAssignment[];
  /**
   * Per-incident display numbers are never reused, even after a removal. A timeline number is
   * one past the highest ever given (TimelineStore `remove` retires a removed one): the next
   * entry must be appended with it before another is asked for.
   */
  nextTimelineNumber(id: number): number;
  takeActionNumber(id: number): number;
}

export interface NewTimelineEntry {
  incidentId: number;
  number: number;
  at: number;
  text: string;
  kind: TimelineEntry["kind"];
  status?: string | null;
  authorId: string;
  messageId?: number | null;
  createdAt: number;
  typed: boolean;
  milestone?: Milestone | null;
  byline?: string | null;
}

export interface TimelineStore {
  append(entry: NewTimelineEntry): TimelineEntry;
  get(incidentId: number, number: number): TimelineEntry | undefined;
  forMessage(messageId: number): TimelineEntry[];
  /** Streams the timeline in order without holding it all (for long incidents). */
  iterate(incidentId: number): Generator<TimelineEntry>;
  list(incidentId: number): TimelineEntry[];
  latestAt(incidentId: number): number | undefined;
  /** The latest time a person typed or a message carried; bot-stamped "now" entries never count. */
  latestTypedAt(incidentId: number): number | undefined;
  /** The newest `/incident mark` entry of a milestone. */
  markOf(incidentId: number, milestone: Milestone): TimelineEntry | undefined;
  /** The most recently recorded entry of a kind (the resolution, say). */
  latestOfKind(incidentId: number, kind: TimelineEntry["kind"]): TimelineEntry | undefined;
  /** Entries that set milestones (marks, status identified/monitoring), in time order. */
  milestoneEntries(incidentId: number): TimelineEntry[];
  count(incidentId: number): number;
  update(id: number, at: number, text: string): void;
  /** Removes the entry and retires its number (IncidentStore `nextTimelineNumber`). */
  remove(id: number): void;
}

export interface NewActionItem {
  incidentId: number;
  number: number;
  text: string;
  owner: string | null;
  due: string | null;
  authorId: string;
  messageId?: number | null;
  createdAt: number;
}

export interface ActionStore {
  add(item: NewActionItem): ActionItem;
  get(incidentId: number, number: number): ActionItem | undefined;
  forMessage(messageId: number): ActionItem[];
  list(incidentId: number): ActionItem[];
  setDone(id: number, doneAt: number | null): void;
  setText(id: number, text: string): void;
  /** Text, owner and due together (`/action edit`); returns the item as it is now. */
  update(
    id: number,
    change: { text: string; owner: string | null; due: string | null },
  ): ActionItem;
  remove(id: number): void;
  /** `/action export`: marked before the tracker is called, so a crash is looked up, not refiled */
  markExportPending(id: number, at: number): void;
  /** The tracker refused: the item is unexported again (only a pending one). */
  clearExportPending(id: number): void;
  recordExport(id: number, link: TrackerLink): void;
  /** The sync saw the issue closed (a time) or open again (null). */
  setTrackerClosed(id: number, at: number | null): void;
  /** Exports pending since before `before` (cut short by a crash). */
  stalePending(before: number): ActionItem[];
  /** Exported items of this tracker still open in chat. */
  openExports(tracker: TrackerKind): ActionItem[];
}

export interface NewSectionItem {
  incidentId: number;
  section: string;
  kind: "paragraph" | "bullet";
  text: string;
  authorId: string;
  messageId?: number | null;
  createdAt: number;
}

export interface SectionStore {
  add(item: NewSectionItem): number;
  section(incidentId: number, section: string): SectionItem[];
  all(incidentId: number): SectionItem[];
  forMessage(messageId: number): SectionItem[];
  clear(incidentId: number, section: string): void;
  setText(id: number, text: string): void;
  remove(id: number): void;
}

export interface NewMessage {
  incidentId: number;
  platform: string;
  roomId: string;
  eventId: string;
  authorId: string;
  authorName: string;
  at: number;
  text: string;
}

export interface MessageStore {
  /** Returns the stored message, or undefined when this event id was stored before. */
  store(message: NewMessage): StoredMessage | undefined;
  byEvent(platform: string, eventId: string): StoredMessage | undefined;
  edit(id: number, text: string, at: number): void;
  markDeleted(id: number, at: number): void;
  /** The latest message stored for an incident in one room: where a catch-up starts. */
  newestInRoom(incidentId: number, platform: string, roomId: string): StoredMessage | undefined;
  /** The first message stored for an incident in one room: where a catch-up compares from. */
  oldestInRoom(incidentId: number, platform: string, roomId: string): StoredMessage | undefined;
  /** Messages stored in one room between two times (both inclusive), oldest first. */
  between(
    incidentId: number,
    platform: string,
    roomId: string,
    from: number,
    to: number,
  ): StoredMessage[];
  count(incidentId: number): number;
  countAll(): number;
}

/** Platform event ids already handled (dedupe) and the reply each got. */
export interface EventLog {
  /** True when this event id is new (and now recorded); false for a redelivery. */
  claim(platform: string, eventId: string, at: number): boolean;
  /** Was this event id handled already (claimed or recorded)? */
  seen(platform: string, eventId: string): boolean;
  /**
   * Records a handled event with the reply it got (JSON) in one write, in the transaction of the
   * work; `unanswered` (JSON: where the answer goes) marks it as not yet delivered. False when the
   * id was already recorded (a redelivery), and then nothing is written.
   */
  record(
    platform: string,
    eventId: string,
    at: number,
    reply: string,
    unanswered?: string,
  ): boolean;
  /** The reply an event got, and its mark while the answer is undelivered. */
  storedReply(
    platform: string,
    eventId: string,
  ): { reply: string; unanswered?: string } | undefined;
  /** Events recorded with an `unanswered` mark since `since`: handled, never confirmed sent. */
  unansweredReplies(
    platform: string,
    since: number,
  ): { eventId: string; reply: string; unanswered: string }[];
  /** The answer reached its caller: drops the mark (true when there was one). */
  clearUnanswered(platform: string, eventId: string): boolean;
  /** Forgets event ids handled before `before`; returns how many went. */
  prune(before: number): number;
}

export interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** every key starting with `prefix`, in key order */
  entries(prefix: string): { key: string; value: string }[];
}

/** Who pinned which message, so the last unpin removes the timeline entry. */
export interface PinStore {
  /** True when this actor had not pinned the message yet. */
  add(
    platform: string,
    messageEventId: string,
    actorId: string,
    reactionEventId: string | null,
  ): boolean;
  byReaction(
    platform: string,
    reactionEventId: string,
  ): { messageEventId: string; actorId: string } | undefined;
  /** Removes one actor's pin; returns how many pins the message still has. */
  remove(
    platform: string,
    messageEventId: string,
    actorId: string,
  ): { removed: boolean; remaining: number };
}

export interface AuditEntry {
  incidentId: number | null;
  at: number;
  actorId: string;
  action: string;
  entity: string;
  entityId: number | null;
  before: unknown;
  after: unknown;
}

export interface AuditRow {
  at: number;
  actor_id: string;
  action: string;
  entity: string;
  entity_id: number | null;
  before: string | null;
  after: string | null;
}

export interface AuditLog {
  write(entry: AuditEntry): void;
  of(incidentId: number): AuditRow[];
}

/** `/incident update`: what stakeholders were told, as posted. */
export interface UpdateStore {
  add(update: Omit<StatusUpdate, "id">): StatusUpdate;
  list(incidentId: number): StatusUpdate[];
  latest(incidentId: number): StatusUpdate | undefined;
}

/** What a past-due reminder names of an action item. */
export type OverdueItem = Pick<ActionItem, "incidentId" | "number" | "text" | "owner" | "due">;

/** What reminders are computed from, and the record of those already posted (src/reminders). */
export interface ReminderStore {
  /** Records a reminder as posted; false when it was already (by this process or another). */
  claim(
    incidentId: number,
    kind: ReminderKind,
    occurrence: string,
    at: number,
    text: string,
  ): boolean;
  sent(incidentId: number): { kind: ReminderKind; occurrence: string; text: string }[];
  /** The latest time anything happened in the incident: timeline, messages, updates. */
  latestActivity(incidentId: number): number | undefined;
  latestUpdateAt(incidentId: number): number | undefined;
  /** When the severity was last changed (recorded, not the `--at` it was given). */
  latestSeverityChangeAt(incidentId: number): number | undefined;
  /** Incidents resolved (recorded) since `since`, with the id of their latest resolution. */
  resolvedSince(since: number): { incidentId: number; entryId: number }[];
  /** Open action items whose due date (YYYY-MM-DD) is before `today`, by incident. */
  overdue(today: string): OverdueItem[];
}

/** What the reminder timer reads and writes: a few stores, not the storage layer. */
export type ReminderStores = Pick<Stores, "transaction" | "incidents" | "actions" | "sections"> & {
  reminders: ReminderStore;
};

/** What the tracker exporter and its sync read and write. */
export type TrackerStores = Pick<Stores, "transaction" | "incidents" | "actions" | "kv">;

/** One alert as recorded: at most once per fingerprint, state and time (see storage/migrations/009). */
export interface SeenAlert {
  source: AlertSource;
  fingerprint: string;
  state: "firing" | "resolved";
  at: number;
  incidentId: number;
  entryId: number | null;
  receivedAt: number;
}

/** Alert groups and the alerts already recorded from them (alerts in). */
export interface AlertStore {
  /** The incident the group declared or joined last, if any. */
  groupIncident(source: AlertSource, groupKey: string): number | undefined;
  /** The group belongs to this incident from now on. */
  bindGroup(source: AlertSource, groupKey: string, incidentId: number, at: number): void;
  /** How many left-out alerts were last noted on the group's incident's timeline (0: none). */
  truncatedNoted(source: AlertSource, groupKey: string): number;
  noteTruncated(source: AlertSource, groupKey: string, count: number): void;
  seen(source: AlertSource, fingerprint: string, state: "firing" | "resolved", at: number): boolean;
  /** The state this alert was last recorded in (the latest delivery that changed it), if any. */
  latestState(source: AlertSource, fingerprint: string): "firing" | "resolved" | undefined;
  /** Recorded, or recorded again (an alert firing again after it resolved, at the same startsAt). */
  record(alert: SeenAlert): void;
}

/** Every store over one database, and the transaction that makes a command all-or-nothing. */
export interface Stores {
  incidents: IncidentStore;
  timeline: TimelineStore;
  actions: ActionStore;
  sections: SectionStore;
  messages: MessageStore;
  events: EventLog;
  kv: KeyValueStore;
  pins: PinStore;
  audit: AuditLog;
  updates: UpdateStore;
  alerts: AlertStore;
  /** Runs fn in one IMMEDIATE transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
}
