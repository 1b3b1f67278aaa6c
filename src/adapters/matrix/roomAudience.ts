import { HistoryVisibility } from "@matrix-org/matrix-sdk-crypto-wasm";
import { type MatrixClient, MatrixError, Method } from "matrix-js-sdk";
import { type RetryOptions, withRetry } from "./retry.ts";
import { type RawEvent, str } from "./wire.ts";

interface Audience {
  /** user id → "join" or "invite" */
  members: Map<string, string>;
  visibility: string;
}

const VISIBILITY: Record<string, HistoryVisibility> = {
  invited: HistoryVisibility.Invited,
  joined: HistoryVisibility.Joined,
  shared: HistoryVisibility.Shared,
  world_readable: HistoryVisibility.WorldReadable,
};

/**
 * Who an encrypted message in a room is for, as Element decides it: the joined members, and the
 * invited ones too unless the room's history is visible to members only from their join
 * (`history_visibility: joined`). Read from the server once per room, then kept up to date from
 * the state events the adapter sees.
 */
export function roomAudience(client: MatrixClient, retry: RetryOptions) {
  const rooms = new Map<string, Audience>();
  const enc = encodeURIComponent;

  async function load(roomId: string): Promise<Audience> {
    const known = rooms.get(roomId);
    if (known) return known;
    const get = <T>(what: string, path: string) =>
      withRetry(what, () => client.http.authedRequest<T>(Method.Get, path), retry);
    const res = await get<{ chunk: RawEvent[] }>("members", `/rooms/${enc(roomId)}/members`);
    type Visibility = { history_visibility?: string };
    const visibility: Visibility = await get<Visibility>(
      "history visibility",
      `/rooms/${enc(roomId)}/state/m.room.history_visibility/`,
    ).catch((error: unknown) => {
      // No such state: the spec's default.
      if (error instanceof MatrixError && error.errcode === "M_NOT_FOUND") return {};
      throw error;
    });
    const audience: Audience = { members: new Map(), visibility: "shared" };
    for (const e of res.chunk) note(audience, e);
    audience.visibility = visibility.history_visibility ?? "shared";
    rooms.set(roomId, audience);
    return audience;
  }

  function note(audience: Audience, event: RawEvent): void {
    if (event.type === "m.room.history_visibility")
      audience.visibility = str(event.content.history_visibility) ?? "shared";
    if (event.type !== "m.room.member" || event.state_key === undefined) return;
    const m = str(event.content.membership);
    if (m === "join" || m === "invite") audience.members.set(event.state_key, m);
    else audience.members.delete(event.state_key);
  }

  return {
    /** A state event seen in a room whose audience is known already (else it is read later). */
    note(roomId: string, event: RawEvent): void {
      const audience = rooms.get(roomId);
      if (audience) note(audience, event);
    },

    async of(roomId: string): Promise<{ users: string[]; visibility: HistoryVisibility }> {
      const a = await load(roomId);
      const users = [...a.members]
        .filter(([, m]) => m === "join" || a.visibility !== "joined")
        .map(([user]) => user);
      return { users, visibility: VISIBILITY[a.visibility] ?? HistoryVisibility.Shared };
    },
  };
}
