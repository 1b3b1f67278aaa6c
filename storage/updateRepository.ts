import type { UpdateStore } from "../src/incidents/stores.ts";
import type { StatusUpdate } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

interface UpdateRow {
  id: number;
  incident_id: number;
  at: number;
  text: string;
  author_id: string;
  author_name: string;
}

const toUpdate = (r: UpdateRow): StatusUpdate => ({
  id: r.id,
  incidentId: r.incident_id,
  at: r.at,
  text: r.text,
  authorId: r.author_id,
  authorName: r.author_name,
});

/** Status updates (`/incident update`), oldest first. */
export function updateRepository(db: Db): UpdateStore {
  const insert = db.prepare(
    `INSERT INTO incident_updates (incident_id, at, text, author_id, author_name)
     VALUES (@incidentId, @at, @text, @authorId, @authorName)`,
  );
  const list = db.prepare<[number], UpdateRow>(
    "SELECT * FROM incident_updates WHERE incident_id = ? ORDER BY at, id",
  );
  const latest = db.prepare<[number], UpdateRow>(
    "SELECT * FROM incident_updates WHERE incident_id = ? ORDER BY at DESC, id DESC LIMIT 1",
  );

  return {
    add(update: Omit<StatusUpdate, "id">): StatusUpdate {
      const id = Number(insert.run(update).lastInsertRowid);
      return { id, ...update };
    },
    list: (incidentId: number): StatusUpdate[] => list.all(incidentId).map(toUpdate),
    latest(incidentId: number): StatusUpdate | undefined {
      const row = latest.get(incidentId);
      return row && toUpdate(row);
    },
  };
}

export type UpdateRepository = ReturnType<typeof updateRepository>;
