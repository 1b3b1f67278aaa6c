import { type MatrixClient, Method } from "matrix-js-sdk";
import type { RetryOptions } from "./retry.ts";
import { withRetry } from "./retry.ts";
import type { Mode, Router } from "./router.ts";
import type { MessagesResponse } from "./wire.ts";

const PAGE = 100;

export interface BackfillOptions {
  client: MatrixClient;
  router: Router;
  retry: RetryOptions;
}

/**
 * Reads a room's history with /messages (dir=b) from `from` (undefined: the room's newest event)
 * back to `to` (a sync token: where the previous batch ended) or the room's start, and routes it
 * oldest first without holding it in memory. The first pass only remembers where each page
 * starts; the second fetches the same pages again, oldest page first, and routes each page
 * reversed. Order matters: an edit or a 📌 must come after the message it refers to.
 *
 * Bounding the walk by sync token (not by timestamps) is the spec's way to fill a limited
 * timeline's gap: a federated event with a slow clock is still inside it, and nothing before
 * `to` is replayed. A failing page throws: the caller must not treat the gap as filled.
 */
export async function backfill(
  roomId: string,
  o: BackfillOptions & { from: string | undefined; to?: string | undefined; mode: Mode },
): Promise<number> {
  const path = `/rooms/${encodeURIComponent(roomId)}/messages`;
  const page = (from: string | undefined) =>
    withRetry(
      "messages",
      () =>
        o.client.http.authedRequest<MessagesResponse>(Method.Get, path, {
          dir: "b",
          limit: String(PAGE),
          ...(from ? { from } : {}),
          ...(o.to ? { to: o.to } : {}),
        }),
      o.retry,
    );

  const starts: string[] = [];
  let token = o.from;
  for (;;) {
    const res = await page(token);
    if (res.chunk.length === 0) break;
    // Without `from` the server starts at the room's current end; pin that position (`start`) so
    // the second pass reads the same page even if more was said meanwhile.
    starts.push(token ?? res.start);
    if (!res.end || res.end === token) break;
    token = res.end;
  }

  let routed = 0;
  for (const start of starts.reverse()) {
    const res = await page(start);
    for (const event of res.chunk.toReversed()) {
      await o.router.route(roomId, event, o.mode);
      routed += 1;
    }
  }
  return routed;
}
