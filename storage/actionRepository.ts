import type { ActionStore, NewActionItem } from "../src/incidents/stores.ts";
import type { ActionItem } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

interface ActionRow {
  id: number;
  incident_id: number;
  number: number;
  text: string;
  owner: string | null;
  due: string | null;
  done_at: number | null;
}

const toAction = (r: ActionRow): ActionItem => ({
  id: r.id,
  incidentId: r.incident_id,
  number: r.number,
  text: r.text,
  owner: r.owner,
  due: r.due,
  doneAt: r.done_at,
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
  };
}
