import { Direction, type MatrixClient } from "matrix-js-sdk";
import type { RetryOptions } from "./retry.ts";
import { withRetry } from "./retry.ts";
import type { Mode, Router } from "./router.ts";
import type { MessagesResponse, RawEvent } from "./wire.ts";

const PAGE = 100;

export interface BackfillOptions {
  client: MatrixClient;
  router: Router;
  retry: RetryOptions;
}

/**
 * Reads a room's history with /messages and routes it oldest first, without holding it in memory:
 * a backward pass walks pages from `from` (undefined: the room's newest event) until `stop` says
 * an event is old enough (or the room's start), remembering only pagination tokens; a forward pass
 * then routes page by page from there, up to the first event the caller already has (`until`).
 * Order matters: an edit or a 📌 must come after the message it refers to.
 */
export async function backfill(
  roomId: string,
  o: BackfillOptions & {
    from: string | undefined;
    mode: Mode;
    stop: (event: RawEvent) => boolean;
    until?: ReadonlySet<string>;
  },
): Promise<number> {
  const page = (token: string | undefined, dir: Direction) =>
    withRetry(
      "messages",
      () =>
        o.client.createMessagesRequest(
          roomId,
          token ?? null,
          PAGE,
          dir,
        ) as Promise<MessagesResponse>,
      o.retry,
    );

  let token = o.from;
  let start = o.from;
  for (;;) {
    const res = await page(token, Direction.Backward);
    if (res.chunk.length === 0) break;
    start = res.end;
    if (res.chunk.some(o.stop) || !res.end) break;
    token = res.end;
  }

  let routed = 0;
  token = start;
  for (;;) {
    const res = await page(token, Direction.Forward);
    for (const event of res.chunk) {
      if (event.event_id && o.until?.has(event.event_id)) return routed;
      if (o.stop(event)) continue;
      await o.router.route(roomId, event, o.mode);
      routed += 1;
    }
    if (res.chunk.length === 0 || !res.end || res.end === token) return routed;
    token = res.end;
  }
}
