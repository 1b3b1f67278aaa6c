import type { PinStore } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Who pinned which message (by reaction), so only the last unpin takes the entry away. */
export function pinRepository(db: Db): PinStore {
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
  return {
    add: (platform, messageEventId, actorId, reactionEventId) =>
      pinAdd.run(platform, messageEventId, actorId, reactionEventId).changes === 1,
    byReaction(platform, reactionEventId) {
      const row = pinByReaction.get(platform, reactionEventId);
      return row && { messageEventId: row.message_event_id, actorId: row.actor_id };
    },
    remove(platform, messageEventId, actorId) {
      const removed = pinRemove.run(platform, messageEventId, actorId).changes === 1;
      return { removed, remaining: pinCount.get(platform, messageEventId)!.n };
    },
  };
}
