import type { MessageStore, NewMessage } from "../src/incidents/stores.ts";
import type { StoredMessage } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

interface MessageRow {
  id: number;
  incident_id: number;
  platform: string;
  room_id: string;
  event_id: string;
  author_id: string;
  at: number;
  text: string;
  deleted_at: number | null;
}

const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  incidentId: r.incident_id,
  platform: r.platform,
  roomId: r.room_id,
  eventId: r.event_id,
  authorId: r.author_id,
  at: r.at,
  text: r.text,
  deletedAt: r.deleted_at,
});

export function messageRepository(db: Db): MessageStore {
  // A replayed event id is ignored, not an error: redeliveries must change nothing.
  const insert = db.prepare(
    `INSERT INTO messages (incident_id, platform, room_id, event_id, author_id, author_name, at, text)
     VALUES (@incidentId, @platform, @roomId, @eventId, @authorId, @authorName, @at, @text)
     ON CONFLICT (platform, event_id) DO NOTHING`,
  );
  const byEvent = db.prepare<[string, string], MessageRow>(
    "SELECT id, incident_id, platform, room_id, event_id, author_id, at, text, deleted_at FROM messages WHERE platform = ? AND event_id = ?",
  );
  const edit = db.prepare("UPDATE messages SET text = ?, edited_at = ? WHERE id = ?");
  const markDeleted = db.prepare("UPDATE messages SET deleted_at = ?, text = '' WHERE id = ?");
  const count = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM messages WHERE incident_id = ?",
  );
  const countAll = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM messages");
  // Walks messages_by_incident (incident_id, at) backwards: no scan of the room's history.
  const newestInRoom = db.prepare<[number, string, string], MessageRow>(
    `SELECT id, incident_id, platform, room_id, event_id, author_id, at, text, deleted_at FROM messages
     WHERE incident_id = ? AND platform = ? AND room_id = ? ORDER BY at DESC, id DESC LIMIT 1`,
  );

  const oldestInRoom = db.prepare<[number, string, string], MessageRow>(
    `SELECT id, incident_id, platform, room_id, event_id, author_id, at, text, deleted_at FROM messages
     WHERE incident_id = ? AND platform = ? AND room_id = ? ORDER BY at, id LIMIT 1`,
  );
  // Also along messages_by_incident: one page of a catch-up compares against this many rows.
  const between = db.prepare<[number, string, string, number, number], MessageRow>(
    `SELECT id, incident_id, platform, room_id, event_id, author_id, at, text, deleted_at FROM messages
     WHERE incident_id = ? AND platform = ? AND room_id = ? AND at >= ? AND at <= ? ORDER BY at, id`,
  );

  return {
    /** Returns the stored message, or undefined when this event id was stored before. */
    store(message: NewMessage): StoredMessage | undefined {
      const result = insert.run(message);
      if (result.changes === 0) return undefined;
      return { ...message, id: Number(result.lastInsertRowid), deletedAt: null };
    },
    byEvent(platform: string, eventId: string): StoredMessage | undefined {
      const row = byEvent.get(platform, eventId);
      return row && toMessage(row);
    },
    edit(id: number, text: string, at: number): void {
      edit.run(text, at, id);
    },
    markDeleted(id: number, at: number): void {
      markDeleted.run(at, id);
    },
    /** The latest message stored for an incident in one room: where a catch-up after downtime starts. */
    newestInRoom(incidentId: number, platform: string, roomId: string): StoredMessage | undefined {
      const row = newestInRoom.get(incidentId, platform, roomId);
      return row && toMessage(row);
    },
    /** The first message stored for an incident in one room: where a catch-up compares from. */
    oldestInRoom(incidentId: number, platform: string, roomId: string): StoredMessage | undefined {
      const row = oldestInRoom.get(incidentId, platform, roomId);
      return row && toMessage(row);
    },
    /** Messages stored in one room between two times (ms, both inclusive), oldest first. */
    between(
      incidentId: number,
      platform: string,
      roomId: string,
      from: number,
      to: number,
    ): StoredMessage[] {
      return between.all(incidentId, platform, roomId, from, to).map(toMessage);
    },
    count: (incidentId: number): number => count.get(incidentId)!.n,
    countAll: (): number => countAll.get()!.n,
  };
}
