import type { NewTimelineEntry, TimelineStore } from "../src/incidents/stores.ts";
import type { Milestone, TimelineEntry } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

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
  typed: number;
  milestone: Milestone | null;
  byline: string | null;
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
  typed: r.typed === 1,
  milestone: r.milestone,
  byline: r.byline,
});

export function timelineRepository(db: Db): TimelineStore {
  // Bound by position: named parameters cost a property lookup each, by name, on every insert
  // (a tenth of the insert under 50 concurrent Slack commands; npm run bench).
  const insert = db.prepare<
    [
      number,
      number,
      number,
      string,
      string,
      string | null,
      string,
      number | null,
      number,
      number,
      string | null,
      string | null,
    ]
  >(
    `INSERT INTO timeline_entries (incident_id, number, at, text, kind, status, author_id, message_id, created_at, typed, milestone, byline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
  // One step in the partial index timeline_typed_by_time (migration 6). The CAST is for speed:
  // with a bare `incident_id = ?` before ORDER BY … LIMIT, SQLite 3.54 (STAT4 build) spends
  // ~20 µs more on every execution, as if it planned the statement again for each bound value
  // (bench/ingest.ts; a CAST keeps the same plan without that cost).
  const latestTyped = db.prepare<[number], { at: number }>(
    "SELECT at FROM timeline_entries WHERE incident_id = CAST(? AS INTEGER) AND typed = 1 ORDER BY at DESC LIMIT 1",
  );
  const byMilestone = db.prepare<[number, string], TimelineRow>(
    "SELECT * FROM timeline_entries WHERE incident_id = ? AND milestone = ? ORDER BY id DESC LIMIT 1",
  );
  const ofKind = db.prepare<[number, string], TimelineRow>(
    "SELECT * FROM timeline_entries WHERE incident_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
  );
  const milestoneSources = db.prepare<[number], TimelineRow>(
    `SELECT * FROM timeline_entries WHERE incident_id = ?
       AND (milestone IS NOT NULL OR (kind = 'status' AND status IN ('identified','monitoring')))
     ORDER BY at, id`,
  );
  // A time someone moves an entry to is a typed time; an edit of the text alone keeps the flag.
  // (SET expressions see the old row, so `at = @at` compares with the stored time.)
  const update = db.prepare(
    "UPDATE timeline_entries SET typed = CASE WHEN at = @at THEN typed ELSE 1 END, at = @at, text = @text WHERE id = @id",
  );
  const remove = db.prepare("DELETE FROM timeline_entries WHERE id = ?");
  // A removed entry's number is never given again: the incident's floor rises past it
  // (incidentRepository's nextTimelineNumber reads the higher of the floor and the highest entry).
  const retire = db.prepare(
    `UPDATE incidents SET next_timeline_number = max(next_timeline_number, entry.number + 1)
       FROM (SELECT incident_id, number FROM timeline_entries WHERE id = ?) AS entry
      WHERE incidents.id = entry.incident_id`,
  );
  const count = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM timeline_entries WHERE incident_id = ?",
  );

  return {
    append(entry: NewTimelineEntry): TimelineEntry {
      const row = { status: null, messageId: null, milestone: null, byline: null, ...entry };
      const id = Number(
        insert.run(
          row.incidentId,
          row.number,
          row.at,
          row.text,
          row.kind,
          row.status ?? null,
          row.authorId,
          row.messageId ?? null,
          row.createdAt,
          row.typed ? 1 : 0,
          row.milestone ?? null,
          row.byline ?? null,
        ).lastInsertRowid,
      );
      return { id, ...row };
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
    /** The latest time a person typed or a message carried; bot-stamped "now" entries never count. */
    latestTypedAt: (incidentId: number): number | undefined => latestTyped.get(incidentId)?.at,
    /** The newest `/incident mark` entry of a milestone. */
    markOf: (incidentId: number, milestone: Milestone): TimelineEntry | undefined => {
      const row = byMilestone.get(incidentId, milestone);
      return row && toEntry(row);
    },
    /** The most recently recorded entry of a kind (the resolution, say). */
    latestOfKind: (incidentId: number, kind: TimelineEntry["kind"]): TimelineEntry | undefined => {
      const row = ofKind.get(incidentId, kind);
      return row && toEntry(row);
    },
    /** Entries that set milestones (marks, status identified/monitoring), in time order. */
    milestoneEntries: (incidentId: number): TimelineEntry[] =>
      milestoneSources.all(incidentId).map(toEntry),
    count: (incidentId: number): number => count.get(incidentId)!.n,
    update(id: number, at: number, text: string): void {
      update.run({ at, text, id });
    },
    remove(id: number): void {
      retire.run(id);
      remove.run(id);
    },
  };
}
