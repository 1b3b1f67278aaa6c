import type { EventLog } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Processed platform event ids (dedupe) and the reply each got. */
export function eventRepository(db: Db): EventLog {
  const markProcessed = db.prepare(
    "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const setReply = db.prepare(
    "UPDATE processed_events SET reply = ? WHERE platform = ? AND event_id = ?",
  );
  const getReply = db.prepare<[string, string], { reply: string | null }>(
    "SELECT reply FROM processed_events WHERE platform = ? AND event_id = ?",
  );
  // No index on processed_at (it cost ingest): a scan, run once per start over recent rows.
  const unanswered = db.prepare<[string, number], { event_id: string; reply: string }>(
    `SELECT event_id, reply FROM processed_events
     WHERE platform = ? AND processed_at >= ? AND reply LIKE '%"unanswered":%'`,
  );
  const prune = db.prepare("DELETE FROM processed_events WHERE processed_at < ?");

  return {
    claim: (platform, eventId, at) => markProcessed.run(platform, eventId, at).changes === 1,
    recordReply(platform, eventId, reply) {
      setReply.run(reply, platform, eventId);
    },
    storedReply: (platform, eventId) => getReply.get(platform, eventId)?.reply ?? undefined,
    unansweredReplies: (platform, since) =>
      unanswered.all(platform, since).map((r) => ({ eventId: r.event_id, reply: r.reply })),
    prune: (before) => prune.run(before).changes,
  };
}
