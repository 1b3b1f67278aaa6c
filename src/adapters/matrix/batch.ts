import type { Bot } from "../../core/bot.ts";
import type { Engine } from "../../core/engine.ts";
import type { Logger } from "../../logging.ts";
import type { E2ee } from "./e2ee.ts";
import type { Outbox } from "./outbox.ts";
import type { RetryOptions } from "./retry.ts";
import { describe } from "./retry.ts";
import type { Router } from "./router.ts";
import type { Position } from "./syncLoop.ts";
import type { Undecryptables } from "./undecryptable.ts";
import { type JoinedRoom, obj, type RawEvent, type SyncResponse } from "./wire.ts";

export interface BatchOptions {
  bot: Bot;
  engine: Engine;
  router: Router;
  e2ee: E2ee;
  undecryptable: Undecryptables;
  outbox: Outbox;
  retry: RetryOptions;
  log: Logger;
  userId: string;
  allows: (userId: string) => boolean;
}

/**
 * Handles one /sync response to completion: the encryption part first (room keys a timeline
 * event may need arrive as to-device messages of the same batch; events that waited for a key are
 * tried again then), invitations, then each joined room's timeline. An
 * event that fails is logged and skipped by the router; a gap that cannot be filled throws, so the
 * sync position is not saved and the whole batch comes back (dedupe absorbs the repeat).
 */
export async function handleBatch(
  sync: SyncResponse,
  at: Position,
  o: BatchOptions,
): Promise<void> {
  if (await o.e2ee.onSync(sync))
    await o.undecryptable.retry((roomId, event, mode) => o.router.route(roomId, event, mode));
  for (const [roomId, invited] of Object.entries(sync.rooms?.invite ?? {})) {
    await invitation(roomId, invited.invite_state?.events ?? [], o);
  }
  for (const [roomId, room] of Object.entries(sync.rooms?.join ?? {})) {
    await joined(roomId, room, at, o);
  }
}

async function invitation(roomId: string, state: RawEvent[], o: BatchOptions): Promise<void> {
  const invite = state.find(
    (e) =>
      e.type === "m.room.member" && e.state_key === o.userId && e.content.membership === "invite",
  );
  const inviter = invite?.sender ?? "unknown";
  try {
    if (o.allows(inviter)) {
      o.log.info({ roomId, inviter }, "accepting invitation");
      await o.outbox.join(roomId);
    } else {
      o.log.warn(
        { roomId, inviter },
        "declining invitation from a user not in MATRIX_ALLOWED_USERS",
      );
      await o.outbox.leave(roomId);
    }
  } catch (error) {
    if (o.retry.signal.aborted) throw error;
    o.log.error({ roomId, err: describe(error) }, "could not answer an invitation");
  }
}

/**
 * The bot's own membership turning into "join". A join→join event is a profile change (display
 * name, avatar), not a fresh join: it must not make the batch's earlier commands history.
 */
function isOwnJoin(e: RawEvent, userId: string): boolean {
  if (e.type !== "m.room.member" || e.state_key !== userId || e.content.membership !== "join")
    return false;
  return obj(obj(e.unsigned)?.prev_content)?.membership !== "join";
}

async function joined(roomId: string, room: JoinedRoom, at: Position, o: BatchOptions) {
  for (const event of room.state?.events ?? []) {
    o.router.learnMember(event);
    await o.e2ee.noteState(roomId, event);
  }
  const events = room.timeline?.events ?? [];
  const ownJoin = events.findIndex((e) => isOwnJoin(e, o.userId));

  if (at.first || ownJoin >= 0) {
    // First start, or a room we just joined: what came before is history. Collect it for an
    // incident's room (a bot that joins late backfills); never act on old commands.
    const incident = o.bot.incidentForRoom("matrix", roomId);
    if (incident) {
      const done = await o.engine.backfill(roomId, "history", { from: room.timeline?.prev_batch });
      o.log.info({ roomId, incident: incident.id, stored: done.stored }, "backfilled room history");
    }
    if (at.first) {
      // The initial snapshot is old history; only its state (encryption, members) matters.
      for (const event of events) await o.e2ee.noteState(roomId, event);
      return;
    }
    for (const event of events.slice(0, ownJoin + 1)) {
      o.router.learnMember(event);
      await o.e2ee.noteState(roomId, event);
      if (incident) await o.router.route(roomId, event, "history");
    }
  } else if (room.timeline?.limited && room.timeline.prev_batch && at.since) {
    // More happened since our saved position than one sync returns: fill the gap between that
    // position and this timeline, oldest first, as live events. In every room, not only incident
    // rooms: a lobby's `!incident start` typed while we were down must run too.
    await o.engine.backfill(roomId, "live", { from: room.timeline.prev_batch, to: at.since });
  }
  for (const event of events.slice(ownJoin + 1)) await o.router.route(roomId, event, "live");
}
