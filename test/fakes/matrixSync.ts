import { type MatrixWorld, wire } from "./matrixWorld.ts";

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
    const ownJoin = room.state.get(`m.room.member\u0000${userId}`)!;
    const newlyJoined = since === undefined || ownJoin.pos >= since;
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
