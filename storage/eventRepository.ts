import type { EventLog } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Processed platform event ids (dedupe), the reply each got, and undelivered answers' marks. */
export function eventRepository(db: Db): EventLog {
  const markProcessed = db.prepare(
    "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const insertHandled = db.prepare(
    `INSERT INTO processed_events (platform, event_id, processed_at, reply, unanswered)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const exists = db
    .prepare<[string, string], number>(
      "SELECT 1 FROM processed_events WHERE platform = ? AND event_id = ?",
    )
    .pluck();
  const getReply = db.prepare<
    [string, string],
    { reply: string | null; unanswered: string | null }
  >("SELECT reply, unanswered FROM processed_events WHERE platform = ? AND event_id = ?");
  // No index on processed_at (it cost ingest): a scan, run once per start over recent rows.
  const unanswered = db.prepare<
    [string, number],
    { event_id: string; reply: string; unanswered: string }
  >(
    `SELECT event_id, reply, unanswered FROM processed_events
     WHERE platform = ? AND processed_at >= ? AND unanswered IS NOT NULL AND reply IS NOT NULL`,
  );
  const clear = db.prepare(
    "UPDATE processed_events SET unanswered = NULL WHERE platform = ? AND event_id = ? AND unanswered IS NOT NULL",
  );
  const prune = db.prepare("DELETE FROM processed_events WHERE processed_at < ?");

  return {
    claim: (platform, eventId, at) => markProcessed.run(platform, eventId, at).changes === 1,
    seen: (platform, eventId) => exists.get(platform, eventId) !== undefined,
    record: (platform, eventId, at, reply, mark) =>
      insertHandled.run(platform, eventId, at, reply, mark ?? null).changes === 1,
    storedReply(platform, eventId) {
      const row = getReply.get(platform, eventId);
      if (!row || row.reply === null) return undefined;
      return row.unanswered === null
        ? { reply: row.reply }
        : { reply: row.reply, unanswered: row.unanswered };
    },
    unansweredReplies: (platform, since) =>
      unanswered.all(platform, since).map((r) => ({
        eventId: r.event_id,
        reply: r.reply,
        unanswered: r.unanswered,
      })),
    clearUnanswered: (platform, eventId) => clear.run(platform, eventId).changes === 1,
    prune: (before) => prune.run(before).changes,
  };
}
