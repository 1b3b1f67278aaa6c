import type { IncomingMessage } from "node:http";
import { type FakeRoom, type MatrixWorld, wire } from "./matrixWorld.ts";

/**
 * A long poll's wait: until a room event or a to-device message (a tick) happens, the timeout
 * passes, or the client hangs up.
 */
export function somethingNew(world: MatrixWorld, timeout: number, req: IncomingMessage) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      world.changed.off("event", done);
      world.changed.off("tick", done);
      req.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, timeout);
    world.changed.on("event", done);
    world.changed.on("tick", done);
    req.on("close", done);
  });
}

/** One /sync answer for a user: joined rooms' new events, pending invitations, next_batch. */
export function syncFor(
  world: MatrixWorld,
  userId: string,
  since: number | undefined,
  limit: number,
) {
  const join: Record<string, unknown> = {};
  const invite: Record<string, unknown> = {};
  const from = since ?? 0;
  for (const room of world.rooms.values()) {
    const membership = world.membership(room.id, userId);
    const fresh = room.events.filter((e) => e.pos >= from);
    if (membership === "invite") {
      const inv = room.state.get(`m.room.member\u0000${userId}`)!;
      if (since === undefined || inv.pos >= since) {
        const stripped = [...room.state.values()]
          .filter((e) => e.type !== "m.room.member" || e.state_key === userId)
          .map((e) => ({
            type: e.type,
            sender: e.sender,
            state_key: e.state_key,
            content: e.content,
          }));
        invite[room.id] = { invite_state: { events: stripped } };
      }
      continue;
    }
    if (membership !== "join") continue;
    // Where the user joined: a later join→join (a profile change) is not a new join.
    const joinedAt = room.events.findLast(
      (e) =>
        e.type === "m.room.member" &&
        e.state_key === userId &&
        e.content.membership === "join" &&
        (e.unsigned?.prev_content as { membership?: string } | undefined)?.membership !== "join",
    )!;
    const newlyJoined = since === undefined || joinedAt.pos >= since;
    if (!newlyJoined && fresh.length === 0) continue;
    const pool = newlyJoined ? room.events : fresh;
    const timeline = pool.slice(-limit);
    const first = timeline[0];
    join[room.id] = {
      state: {
        events: newlyJoined
          ? [...room.state.values()].filter((e) => !timeline.includes(e)).map(wire)
          : [],
      },
      timeline: {
        events: timeline.map(wire),
        limited: pool.length > timeline.length,
        ...(first ? { prev_batch: `p${first.pos}` } : {}),
      },
    };
  }
  const empty = Object.keys(join).length === 0 && Object.keys(invite).length === 0;
  return { empty, body: { next_batch: `p${world.head()}`, rooms: { join, invite, leave: {} } } };
}

/**
 * GET /rooms/{id}/messages over the world's stream positions: `from` (default: the room's end,
 * or its start going forward), `to` a position the walk stops at (exclusive going back), `end`
 * omitted when nothing further is left.
 */
export function messagesFor(room: FakeRoom, head: number, query: URLSearchParams) {
  const limit = Number(query.get("limit") ?? 10);
  const from = query.get("from");
  const to = query.get("to");
  const forward = query.get("dir") === "f";
  const at = from ? Number(from.slice(1)) : forward ? 0 : head;
  const stop = to ? Number(to.slice(1)) : undefined;
  const candidates = forward
    ? room.events.filter((e) => e.pos >= at && (stop === undefined || e.pos < stop))
    : room.events.filter((e) => e.pos < at && (stop === undefined || e.pos >= stop)).reverse();
  const chunk = candidates.slice(0, limit);
  const last = chunk.at(-1);
  const more = candidates.length > chunk.length;
  return {
    start: `p${at}`,
    chunk: chunk.map(wire),
    ...(last && more ? { end: `p${forward ? last.pos + 1 : last.pos}` } : {}),
  };
}
