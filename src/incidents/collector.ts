import { textProblem } from "./limits.ts";
import type { Stores } from "./stores.ts";
import { parseTag, type Tag, tagProblem } from "./tags.ts";
import { addTimelineEntry, removeTimelineEntry } from "./timeline.ts";
import type { Incident, StoredMessage } from "./types.ts";

export interface MessageEvent {
  platform: string;
  room: string;
  eventId: string;
  authorId: string;
  authorName: string;
  at: number;
  text: string;
}

export type Collected =
  | { kind: "duplicate" }
  | {
      kind: "stored";
      message: StoredMessage;
      applied: Tag["kind"] | undefined;
      section?: string;
      /** why the message's tag was not applied (too long, control characters), for its author */
      refused?: string;
    };

/** Stores a plain message said in an incident's room and applies its section tag, if any. */
export function collectMessage(
  stores: Stores,
  incident: Incident,
  m: MessageEvent,
  now: number,
): Collected {
  const message = stores.messages.store({
    incidentId: incident.id,
    platform: m.platform,
    roomId: m.room,
    eventId: m.eventId,
    authorId: m.authorId,
    authorName: m.authorName,
    at: m.at,
    text: m.text,
  });
  if (!message) return { kind: "duplicate" };
  const tag = parseTag(m.text);
  // The message is what was said and stays collected; what its tag would file obeys the limits
  // of the command the tag stands for, so nothing oversized reaches a section or the draft.
  const refused = tag && tagProblem(tag);
  if (refused) return { kind: "stored", message, applied: undefined, refused };
  if (tag) applyTag(stores, incident, message, tag, now);
  return {
    kind: "stored",
    message,
    applied: tag?.kind,
    ...(tag?.kind === "section" ? { section: tag.section } : {}),
  };
}

function applyTag(
  stores: Stores,
  incident: Incident,
  message: StoredMessage,
  tag: Tag,
  now: number,
): void {
  const base = { authorId: message.authorId, messageId: message.id, createdAt: now };
  if (tag.kind === "section") {
    stores.sections.add({
      ...base,
      incidentId: incident.id,
      section: tag.section,
      kind: "bullet",
      text: tag.text,
    });
  } else if (tag.kind === "action") {
    stores.actions.add({
      ...base,
      incidentId: incident.id,
      number: stores.incidents.takeActionNumber(incident.id),
      text: tag.text,
      owner: null,
      due: null,
    });
  } else {
    addTimelineEntry(
      stores,
      incident,
      {
        at: message.at,
        text: tag.text,
        kind: "tag",
        authorId: message.authorId,
        messageId: message.id,
        // A tagged message's own time is a typed time (it moves the anchor for bare times).
        typed: true,
      },
      now,
    );
  }
}

/** Everything derived from a message's tag, removed (for edits that change the tag, and deletions). */
function removeDerived(
  stores: Stores,
  message: StoredMessage,
  actorId: string,
  now: number,
  keepPins: boolean,
): void {
  for (const entry of stores.timeline.forMessage(message.id)) {
    if (keepPins && entry.kind === "pin") continue;
    removeTimelineEntry(stores, entry, actorId, now);
  }
  for (const item of stores.sections.forMessage(message.id)) stores.sections.remove(item.id);
  for (const item of stores.actions.forMessage(message.id)) stores.actions.remove(item.id);
}

/** A message was edited on the platform: the stored text, pinned entries and tagged items follow. */
export function editMessage(
  stores: Stores,
  platform: string,
  eventId: string,
  text: string,
  now: number,
): boolean {
  const message = stores.messages.byEvent(platform, eventId);
  if (!message || message.deletedAt !== null) return false;
  // A redelivered edit (Slack retry, Matrix sync replay) carries the text already stored.
  if (message.text === text) return false;
  const incident = stores.incidents.get(message.incidentId)!;
  stores.audit.write({
    incidentId: incident.id,
    at: now,
    actorId: message.authorId,
    action: "edit",
    entity: "message",
    entityId: message.id,
    before: { text: message.text },
    after: { text },
  });
  stores.messages.edit(message.id, text, now);
  // An edit is read as if the new text had been sent: a tag beyond its command's limits files
  // nothing, and what the old text filed goes.
  const oldTag = filedTag(message.text);
  const newTag = filedTag(text);
  // A pinned entry keeps the last text that fits a timeline entry rather than losing the pin.
  if (fitsTimeline(text)) {
    const pinned = stores.timeline.forMessage(message.id).filter((e) => e.kind === "pin");
    for (const entry of pinned) stores.timeline.update(entry.id, entry.at, text);
  }
  if (oldTag?.kind === newTag?.kind && oldTag?.kind !== undefined && sameTarget(oldTag, newTag)) {
    updateDerivedText(stores, message.id, newTag!.text);
  } else {
    removeDerived(stores, message, message.authorId, now, true);
    if (newTag) applyTag(stores, incident, { ...message, text }, newTag, now);
  }
  return true;
}

/** The tag a message's text files: none when it has none or its command's limits refuse it. */
function filedTag(text: string): Tag | undefined {
  const tag = parseTag(text);
  return tag && !tagProblem(tag) ? tag : undefined;
}

/** Whether a message's text may become a timeline entry (the limit of /timeline add). */
function fitsTimeline(text: string): boolean {
  return textProblem(text, "text") === undefined;
}

function sameTarget(a: Tag, b: Tag | undefined): boolean {
  return a.kind !== "section" || (b?.kind === "section" && a.section === b.section);
}

function updateDerivedText(stores: Stores, messageId: number, text: string): void {
  for (const e of stores.timeline.forMessage(messageId))
    if (e.kind === "tag") stores.timeline.update(e.id, e.at, text);
  for (const item of stores.sections.forMessage(messageId)) stores.sections.setText(item.id, text);
  for (const item of stores.actions.forMessage(messageId)) stores.actions.setText(item.id, text);
}

/** A message was deleted on the platform: its text goes, and so does everything made from it. */
export function deleteMessage(
  stores: Stores,
  platform: string,
  eventId: string,
  actorId: string,
  now: number,
): boolean {
  const message = stores.messages.byEvent(platform, eventId);
  if (!message || message.deletedAt !== null) return false;
  removeDerived(stores, message, actorId, now, false);
  stores.audit.write({
    incidentId: message.incidentId,
    at: now,
    actorId,
    action: "delete",
    entity: "message",
    entityId: message.id,
    before: { text: message.text },
    after: null,
  });
  stores.messages.markDeleted(message.id, now);
  return true;
}

/**
 * 📌 on a collected message: a timeline entry at the message's own time. A second pin adds
 * nothing; the entry goes when the last pin is removed.
 */
export function pinMessage(
  stores: Stores,
  pin: {
    platform: string;
    messageEventId: string;
    actorId: string;
    reactionEventId: string | null;
  },
  now: number,
): "pinned" | "already-pinned" | "unknown-message" | "refused" {
  const message = stores.messages.byEvent(pin.platform, pin.messageEventId);
  if (!message || message.deletedAt !== null) return "unknown-message";
  // A pin stands for /timeline add of the message: what that command refuses, a pin does too.
  if (!fitsTimeline(message.text)) return "refused";
  stores.pins.add(pin.platform, pin.messageEventId, pin.actorId, pin.reactionEventId);
  if (stores.timeline.forMessage(message.id).some((e) => e.kind === "pin")) return "already-pinned";
  const incident = stores.incidents.get(message.incidentId)!;
  addTimelineEntry(
    stores,
    incident,
    {
      at: message.at,
      text: message.text,
      kind: "pin",
      authorId: pin.actorId,
      messageId: message.id,
      typed: true,
    },
    now,
  );
  return "pinned";
}

/** Removes one person's 📌 (by message and person, or by the reaction's own event id on Matrix). */
export function unpinMessage(
  stores: Stores,
  unpin: { platform: string; messageEventId?: string; actorId?: string; reactionEventId?: string },
  now: number,
): "unpinned" | "still-pinned" | "not-pinned" {
  let target =
    unpin.messageEventId && unpin.actorId
      ? { messageEventId: unpin.messageEventId, actorId: unpin.actorId }
      : undefined;
  if (!target && unpin.reactionEventId)
    target = stores.pins.byReaction(unpin.platform, unpin.reactionEventId);
  if (!target) return "not-pinned";
  const { removed, remaining } = stores.pins.remove(
    unpin.platform,
    target.messageEventId,
    target.actorId,
  );
  if (!removed) return "not-pinned";
  if (remaining > 0) return "still-pinned";
  const message = stores.messages.byEvent(unpin.platform, target.messageEventId);
  if (!message) return "not-pinned";
  for (const entry of stores.timeline.forMessage(message.id)) {
    if (entry.kind === "pin") removeTimelineEntry(stores, entry, target.actorId, now);
  }
  return "unpinned";
}
