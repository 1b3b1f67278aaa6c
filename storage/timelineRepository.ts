import type { Db } from "./database.ts";
import type { TimelineEntry } from "./records.ts";

interface TimelineRow {
  id: number;
  incident_id: number;
  number: number;
  at: number;
  text: string;
  kind: TimelineEntry["kind"];
  status: string | null;
  author_id: string;
  message_id: number | null;
}

const toEntry = (r: TimelineRow): TimelineEntry => ({
  id: r.id,
  incidentId: r.incident_id,
  number: r.number,
  at: r.at,
  text: r.text,
  kind: r.kind,
  status: r.status,
  authorId: r.author_id,
  messageId: r.message_id,
});

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
}

export function timelineRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO timeline_entries (incident_id, number, at, text, kind, status, author_id, message_id, created_at)
     VALUES (@incidentId, @number, @at, @text, @kind, @status, @authorId, @messageId, @createdAt)`,
  );
  const byNumber = db.prepare<[number, number], TimelineRow>(
    "SELECT * FROM timeline_entries WHERE incident_id = ? AND number = ?",
  );
  const byMessage = db.prepare<[number], TimelineRow>(
    "SELECT * FROM timeline_entries WHERE message_id = ? ORDER BY id",
  );
  // Equal times keep the order they were recorded in: id grows with insertion.
  const sorted = db.prepare<[number], TimelineRow>(
    "SELECT * FROM timeline_entries WHERE incident_id = ? ORDER BY at, id",
  );
  const latest = db.prepare<[number], { at: number }>(
    "SELECT max(at) AS at FROM timeline_entries WHERE incident_id = ?",
  );
  const update = db.prepare("UPDATE timeline_entries SET at = ?, text = ? WHERE id = ?");
  const remove = db.prepare("DELETE FROM timeline_entries WHERE id = ?");
  const count = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM timeline_entries WHERE incident_id = ?",
  );

  return {
    append(entry: NewTimelineEntry): TimelineEntry {
      const id = Number(insert.run({ status: null, messageId: null, ...entry }).lastInsertRowid);
      return { id, status: null, messageId: null, ...entry };
    },
    get: (incidentId: number, number: number): TimelineEntry | undefined => {
      const row = byNumber.get(incidentId, number);
      return row && toEntry(row);
    },
    forMessage: (messageId: number): TimelineEntry[] => byMessage.all(messageId).map(toEntry),
    /** Streams the timeline in order without holding it all (for long incidents). */
    *iterate(incidentId: number): Generator<TimelineEntry> {
      for (const row of sorted.iterate(incidentId)) yield toEntry(row);
    },
    list: (incidentId: number): TimelineEntry[] => sorted.all(incidentId).map(toEntry),
    latestAt: (incidentId: number): number | undefined => latest.get(incidentId)?.at ?? undefined,
    count: (incidentId: number): number => count.get(incidentId)!.n,
    update(id: number, at: number, text: string): void {
      update.run(at, text, id);
    },
    remove(id: number): void {
      remove.run(id);
    },
  };
}

export type TimelineRepository = ReturnType<typeof timelineRepository>;
