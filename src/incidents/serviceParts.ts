import {
  type ActionDraft,
  addActionItem,
  type Change,
  editActionItem,
  removeActionItem,
} from "./actions.ts";
import {
  collectMessage,
  deleteMessage,
  editMessage,
  type MessageEvent,
  pinMessage,
  unpinMessage,
} from "./collector.ts";
import { addSectionItem, removeSectionItem, setSection } from "./sectionItems.ts";
import type { Stores } from "./stores.ts";
import {
  addTimelineEntry,
  editTimelineEntry,
  type NewEntry,
  removeTimelineEntry,
  timeRule,
} from "./timeline.ts";
import type { ActionItem, Incident, SectionItem, TimelineEntry } from "./types.ts";

/** The service's verbs, by what they act on; see service.ts. */

export function timelineVerbs(stores: Stores) {
  const { timeline } = stores;
  return {
    add: (incident: Incident, entry: NewEntry, now: number): TimelineEntry =>
      addTimelineEntry(stores, incident, entry, now),
    /** Entry `number` as users see it (`#3`). */
    get: (incident: Incident, number: number): TimelineEntry | undefined =>
      timeline.get(incident.id, number),
    /** In time order, streamed (long incidents). */
    iterate: (incident: Incident): Iterable<TimelineEntry> => timeline.iterate(incident.id),
    edit: (entry: TimelineEntry, change: { at: number; text: string }, by: Change) =>
      editTimelineEntry(stores, entry, change, by.actorId, by.now),
    remove: (entry: TimelineEntry, by: Change) =>
      removeTimelineEntry(stores, entry, by.actorId, by.now),
    /** Live or write-up, and the anchor bare times are read against. */
    rule: (incident: Incident, now: number) => timeRule(stores, incident, now),
  };
}

export function actionVerbs(stores: Stores) {
  const { actions } = stores;
  return {
    add: (incident: Incident, draft: ActionDraft, by: Change): ActionItem =>
      addActionItem(stores, incident, draft, by),
    get: (incident: Incident, number: number): ActionItem | undefined =>
      actions.get(incident.id, number),
    list: (incident: Incident): ActionItem[] => actions.list(incident.id),
    edit: (item: ActionItem, next: ActionDraft, by: Change): ActionItem =>
      editActionItem(stores, item, next, by),
    done: (item: ActionItem, at: number): void => actions.setDone(item.id, at),
    undo: (item: ActionItem): void => actions.setDone(item.id, null),
    remove: (item: ActionItem, by: Change): void => removeActionItem(stores, item, by),
    /** `/action export`: pending before the tracker is called (the exporter files after commit). */
    markExportPending: (item: ActionItem, at: number): void =>
      actions.markExportPending(item.id, at),
  };
}

export function sectionVerbs(stores: Stores) {
  const { sections } = stores;
  return {
    /** Replaces the section with one paragraph; `replaced` when it had text (audited). */
    set: (incident: Incident, section: string, text: string, by: Change) =>
      setSection(stores, incident, section, text, by),
    /** Adds a bullet; returns how many items the section has now. */
    add(incident: Incident, section: string, text: string, by: Change): number {
      addSectionItem(stores, incident, section, "bullet", text, by);
      return sections.section(incident.id, section).length;
    },
    show: (incident: Incident, section: string): SectionItem[] =>
      sections.section(incident.id, section),
    all: (incident: Incident): SectionItem[] => sections.all(incident.id),
    remove: (
      incident: Incident,
      section: string,
      number: number,
      item: SectionItem,
      by: Change,
    ): void => removeSectionItem(stores, incident, section, number, item, by),
  };
}

/** Messages said in incident rooms: collection, corrections, pins, and catch-up bounds. */
export function messageVerbs(stores: Stores) {
  const { messages } = stores;
  return {
    collect: (incident: Incident, m: MessageEvent, now: number) =>
      collectMessage(stores, incident, m, now),
    edit: (platform: string, eventId: string, text: string, now: number): boolean =>
      editMessage(stores, platform, eventId, text, now),
    delete: (platform: string, eventId: string, actorId: string, now: number): boolean =>
      deleteMessage(stores, platform, eventId, actorId, now),
    pin: (pin: Parameters<typeof pinMessage>[1], now: number) => pinMessage(stores, pin, now),
    unpin: (unpin: Parameters<typeof unpinMessage>[1], now: number) =>
      unpinMessage(stores, unpin, now),
    byEvent: (platform: string, eventId: string) => messages.byEvent(platform, eventId),
    /** The first and the last message stored for an incident in a room (catch-up bounds). */
    range(incidentId: number, platform: string, room: string) {
      const oldest = messages.oldestInRoom(incidentId, platform, room);
      const newest = oldest && messages.newestInRoom(incidentId, platform, room);
      return oldest && newest ? { oldest, newest } : undefined;
    },
    between: (incidentId: number, platform: string, room: string, from: number, to: number) =>
      messages.between(incidentId, platform, room, from, to),
  };
}
