import type { ActionStore, NewActionItem } from "../src/incidents/stores.ts";
import type { ActionItem, TrackerKind, TrackerLink } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

interface ActionRow {
  id: number;
  incident_id: number;
  number: number;
  text: string;
  owner: string | null;
  due: string | null;
  done_at: number | null;
  export_state: "pending" | "exported" | null;
  export_pending_at: number | null;
  tracker: TrackerKind | null;
  tracker_id: string | null;
  tracker_ref: string | null;
  tracker_url: string | null;
  tracker_closed_at: number | null;
}

const toAction = (r: ActionRow): ActionItem => ({
  id: r.id,
  incidentId: r.incident_id,
  number: r.number,
  text: r.text,
  owner: r.owner,
  due: r.due,
  doneAt: r.done_at,
  exportState: r.export_state,
  exportPendingAt: r.export_pending_at,
  trackerClosedAt: r.tracker_closed_at,
  link:
    r.export_state === "exported" && r.tracker && r.tracker_id && r.tracker_ref && r.tracker_url
      ? { tracker: r.tracker, id: r.tracker_id, ref: r.tracker_ref, url: r.tracker_url }
      : null,
});

export function actionRepository(db: Db): ActionStore {
  const insert = db.prepare(
    `INSERT INTO action_items (incident_id, number, text, owner, due, author_id, message_id, created_at)
     VALUES (@incidentId, @number, @text, @owner, @due, @authorId, @messageId, @createdAt)`,
  );
  const byNumber = db.prepare<[number, number], ActionRow>(
    "SELECT * FROM action_items WHERE incident_id = ? AND number = ?",
  );
  const byMessage = db.prepare<[number], ActionRow>(
    "SELECT * FROM action_items WHERE message_id = ? ORDER BY id",
  );
  const list = db.prepare<[number], ActionRow>(
    "SELECT * FROM action_items WHERE incident_id = ? ORDER BY number",
  );
  const setDone = db.prepare("UPDATE action_items SET done_at = ? WHERE id = ?");
  const setText = db.prepare("UPDATE action_items SET text = ? WHERE id = ?");
  const update = db.prepare(
    "UPDATE action_items SET text = @text, owner = @owner, due = @due WHERE id = @id",
  );
  const byId = db.prepare<[number], ActionRow>("SELECT * FROM action_items WHERE id = ?");
  const remove = db.prepare("DELETE FROM action_items WHERE id = ?");
  const markPending = db.prepare(
    "UPDATE action_items SET export_state = 'pending', export_pending_at = ? WHERE id = ? AND export_state IS NULL",
  );
  const clearPending = db.prepare(
    "UPDATE action_items SET export_state = NULL, export_pending_at = NULL WHERE id = ? AND export_state = 'pending'",
  );
  const recordExport = db.prepare(
    `UPDATE action_items SET export_state = 'exported', tracker = @tracker, tracker_id = @id,
       tracker_ref = @ref, tracker_url = @url WHERE id = @itemId`,
  );
  const setTrackerClosed = db.prepare("UPDATE action_items SET tracker_closed_at = ? WHERE id = ?");
  const stalePending = db.prepare<[number], ActionRow>(
    "SELECT * FROM action_items WHERE export_state = 'pending' AND export_pending_at <= ? ORDER BY incident_id, number",
  );
  const openExports = db.prepare<[TrackerKind], ActionRow>(
    "SELECT * FROM action_items WHERE export_state = 'exported' AND done_at IS NULL AND tracker = ? ORDER BY id",
  );

  return {
    add(item: NewActionItem): ActionItem {
      insert.run({ messageId: null, ...item });
      return toAction(byNumber.get(item.incidentId, item.number)!);
    },
    get: (incidentId: number, number: number): ActionItem | undefined => {
      const row = byNumber.get(incidentId, number);
      return row && toAction(row);
    },
    forMessage: (messageId: number): ActionItem[] => byMessage.all(messageId).map(toAction),
    list: (incidentId: number): ActionItem[] => list.all(incidentId).map(toAction),
    setDone(id: number, doneAt: number | null): void {
      setDone.run(doneAt, id);
    },
    setText(id: number, text: string): void {
      setText.run(text, id);
    },
    /** Text, owner and due together (`/action edit`); returns the item as it is now. */
    update(
      id: number,
      change: { text: string; owner: string | null; due: string | null },
    ): ActionItem {
      update.run({ id, ...change });
      return toAction(byId.get(id)!);
    },
    remove(id: number): void {
      remove.run(id);
    },
    /**
     * Step 1 of an export, committed before the tracker is called. A pending item keeps its first
     * time: the issue filed back then is looked up from it.
     */
    markExportPending(id: number, at: number): void {
      markPending.run(at, id);
    },
    /** The tracker refused: the item is unexported again (only a pending one). */
    clearExportPending(id: number): void {
      clearPending.run(id);
    },
    recordExport(id: number, link: TrackerLink): void {
      recordExport.run({ itemId: id, ...link });
    },
    /** The sync saw the issue closed (a time) or open again (null). */
    setTrackerClosed(id: number, at: number | null): void {
      setTrackerClosed.run(at, id);
    },
    /** Items pending since `before` or earlier: an export that a crash or restart interrupted. */
    stalePending: (before: number): ActionItem[] => stalePending.all(before).map(toAction),
    /** Exported items not done yet, in the given tracker: what the closed-issue sync polls. */
    openExports: (tracker: TrackerKind): ActionItem[] => openExports.all(tracker).map(toAction),
  };
}
