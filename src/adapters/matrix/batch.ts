import type { MatrixClient } from "matrix-js-sdk";
import type { Bot } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import { backfill } from "./backfill.ts";
import type { Outbox } from "./outbox.ts";
import type { RetryOptions } from "./retry.ts";
import { describe } from "./retry.ts";
import type { Router } from "./router.ts";
import type { JoinedRoom, RawEvent, SyncResponse } from "./wire.ts";

export interface BatchOptions {
  client: MatrixClient;
  bot: Bot;
  router: Router;
  outbox: Outbox;
  retry: RetryOptions;
  log: Logger;
  userId: string;
  allows: (userId: string) => boolean;
}

/** Where the previous run stopped: events older than `watermark` were already handled. */
export interface Position {
  first: boolean;
  watermark: number;
}

/**
 * Handles one /sync response to completion: invitations, then each joined room's timeline. Returns
 * the newest event time seen, the watermark saved with the sync token.
 */
export async function handleBatch(
  sync: SyncResponse,
  at: Position,
  o: BatchOptions,
): Promise<number> {
  let newest = at.watermark;
  for (const [roomId, invited] of Object.entries(sync.rooms?.invite ?? {})) {
    await invitation(roomId, invited.invite_state?.events ?? [], o);
  }
  for (const [roomId, room] of Object.entries(sync.rooms?.join ?? {})) {
    try {
      newest = Math.max(newest, await joined(roomId, room, at, o));
    } catch (error) {
      if (o.retry.stopped()) throw error;
      // One room's trouble must not hold up every other room; its events stay deduplicated.
      o.log.error({ roomId, err: describe(error) }, "could not handle a room's events");
    }
  }
  return newest;
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
    o.log.error({ roomId, err: describe(error) }, "could not answer an invitation");
  }
}

async function joined(
  roomId: string,
  room: JoinedRoom,
  at: Position,
  o: BatchOptions,
): Promise<number> {
  let newest = 0;
  for (const event of room.state?.events ?? []) {
    o.router.learnMember(event);
    if (event.type === "m.room.encryption") await o.router.encrypted(roomId);
  }
  const events = room.timeline?.events ?? [];
  const ownJoin = events.findIndex(
    (e) =>
      e.type === "m.room.member" && e.state_key === o.userId && e.content.membership === "join",
  );
  const incident = o.bot.incidentForRoom("matrix", roomId);
  const base = { client: o.client, router: o.router, retry: o.retry };
  const until = new Set(events.flatMap((e) => (e.event_id ? [e.event_id] : [])));

  if (at.first || ownJoin >= 0) {
    // First start, or a room we just joined: what came before is history. Collect it for an
    // incident's room (a bot that joins late backfills); never act on old commands.
    if (incident) {
      const n = await backfill(roomId, {
        ...base,
        from: room.timeline?.prev_batch,
        mode: "history",
        stop: (e) => e.type === "m.room.create",
      });
      o.log.info({ roomId, incident: incident.id, events: n }, "backfilled room history");
    }
    if (at.first) {
      // Only encryption is worth noticing in the initial snapshot; the rest is old history.
      if (events.some((e) => e.type === "m.room.encrypted")) await o.router.encrypted(roomId);
      return 0;
    }
    for (const event of events.slice(0, ownJoin + 1)) {
      o.router.learnMember(event);
      if (incident) await o.router.route(roomId, event, "history");
    }
  } else if (room.timeline?.limited && incident) {
    // More happened since our saved position than one sync returns: fill the gap, oldest first,
    // as live events (commands said while we were down run, once; dedupe covers the overlap).
    await backfill(roomId, {
      ...base,
      from: room.timeline.prev_batch,
      mode: "live",
      stop: (e) => (e.origin_server_ts ?? 0) < at.watermark,
      until,
    });
  }
  for (const event of events.slice(ownJoin + 1)) {
    newest = Math.max(newest, event.origin_server_ts ?? 0);
    await o.router.route(roomId, event, "live");
  }
  return newest;
}
