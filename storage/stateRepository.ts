import type { Db } from "./database.ts";

/** Processed platform event ids (dedupe), pins, adapter key/value state and the audit log. */
export function stateRepository(db: Db) {
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
  const kvGet = db.prepare<[string], { value: string }>("SELECT value FROM kv WHERE key = ?");
  const kvSet = db.prepare(
    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const kvDelete = db.prepare("DELETE FROM kv WHERE key = ?");
  const pinAdd = db.prepare(
    "INSERT INTO pins (platform, message_event_id, actor_id, reaction_event_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const pinByReaction = db.prepare<
    [string, string],
    { message_event_id: string; actor_id: string }
  >("SELECT message_event_id, actor_id FROM pins WHERE platform = ? AND reaction_event_id = ?");
  const pinRemove = db.prepare(
    "DELETE FROM pins WHERE platform = ? AND message_event_id = ? AND actor_id = ?",
  );
  const pinCount = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM pins WHERE platform = ? AND message_event_id = ?",
  );
  const audit = db.prepare(
    `INSERT INTO audit_log (incident_id, at, actor_id, action, entity, entity_id, before, after)
     VALUES (@incidentId, @at, @actorId, @action, @entity, @entityId, @before, @after)`,
  );
  const auditOf = db.prepare<[number], AuditRow>(
    "SELECT at, actor_id, action, entity, entity_id, before, after FROM audit_log WHERE incident_id = ? ORDER BY id",
  );

  return {
    /** True when this event id is new (and now recorded); false for a redelivery. */
    claimEvent(platform: string, eventId: string, at: number): boolean {
      return markProcessed.run(platform, eventId, at).changes === 1;
    },
    /** Keeps the reply an event got (JSON), in the same transaction as the claim. */
    recordReply(platform: string, eventId: string, reply: string): void {
      setReply.run(reply, platform, eventId);
    },
    storedReply: (platform: string, eventId: string): string | undefined =>
      getReply.get(platform, eventId)?.reply ?? undefined,
    /** Replies recorded with an `unanswered` mark since `since` (ms): claimed, never confirmed sent. */
    unansweredReplies: (platform: string, since: number) =>
      unanswered.all(platform, since).map((r) => ({ eventId: r.event_id, reply: r.reply })),
    /** Forgets event ids handled before `before` (ms); returns how many went. */
    pruneProcessed: (before: number): number => prune.run(before).changes,
    get: (key: string): string | undefined => kvGet.get(key)?.value,
    set(key: string, value: string): void {
      kvSet.run(key, value);
    },
    delete(key: string): void {
      kvDelete.run(key);
    },
    /** True when this actor had not pinned the message yet. */
    addPin(
      platform: string,
      messageEventId: string,
      actorId: string,
      reactionEventId: string | null,
    ): boolean {
      return pinAdd.run(platform, messageEventId, actorId, reactionEventId).changes === 1;
    },
    pinByReaction(platform: string, reactionEventId: string) {
      const row = pinByReaction.get(platform, reactionEventId);
      return row && { messageEventId: row.message_event_id, actorId: row.actor_id };
    },
    /** Removes one actor's pin; returns how many pins the message still has. */
    removePin(
      platform: string,
      messageEventId: string,
      actorId: string,
    ): { removed: boolean; remaining: number } {
      const removed = pinRemove.run(platform, messageEventId, actorId).changes === 1;
      return { removed, remaining: pinCount.get(platform, messageEventId)!.n };
    },
    audit(entry: {
      incidentId: number | null;
      at: number;
      actorId: string;
      action: string;
      entity: string;
      entityId: number | null;
      before: unknown;
      after: unknown;
    }): void {
      audit.run({
        ...entry,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      });
    },
    auditLog: (incidentId: number): AuditRow[] => auditOf.all(incidentId),
  };
}

export interface AuditRow {
  at: number;
  actor_id: string;
  action: string;
  entity: string;
  entity_id: number | null;
  before: string | null;
  after: string | null;
}

export type StateRepository = ReturnType<typeof stateRepository>;
