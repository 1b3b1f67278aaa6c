import type { Stores } from "./stores.ts";
import type { ActionItem, Incident } from "./types.ts";

/** Who did it and when, for the audit log. */
export interface Change {
  actorId: string;
  now: number;
}

export interface ActionDraft {
  text: string;
  owner: string | null;
  due: string | null;
}

export function addActionItem(
  stores: Stores,
  incident: Incident,
  draft: ActionDraft,
  change: Change,
): ActionItem {
  return stores.actions.add({
    incidentId: incident.id,
    number: stores.incidents.takeActionNumber(incident.id),
    ...draft,
    authorId: change.actorId,
    createdAt: change.now,
  });
}

/** Text, owner and due together; audited with the item before and after. */
export function editActionItem(
  stores: Stores,
  item: ActionItem,
  next: ActionDraft,
  change: Change,
): ActionItem {
  const after = stores.actions.update(item.id, next);
  stores.audit.write({
    incidentId: item.incidentId,
    at: change.now,
    actorId: change.actorId,
    action: "edit",
    entity: "action",
    entityId: item.id,
    before: item,
    after,
  });
  return after;
}

/** Removes the item; the audit log keeps what it said. */
export function removeActionItem(stores: Stores, item: ActionItem, change: Change): void {
  stores.actions.remove(item.id);
  stores.audit.write({
    incidentId: item.incidentId,
    at: change.now,
    actorId: change.actorId,
    action: "remove",
    entity: "action",
    entityId: item.id,
    before: item,
    after: null,
  });
}
