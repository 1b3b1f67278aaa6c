import { type MatrixClient, Method } from "matrix-js-sdk";
import type { Incoming } from "../../core/incoming.ts";
import type { HistoryPage, HistoryRange } from "../../core/surface.ts";
import type { RetryOptions } from "./retry.ts";
import { withRetry } from "./retry.ts";
import type { MessagesResponse, RawEvent } from "./wire.ts";

const PAGE = 100;

export interface HistoryOptions {
  client: MatrixClient;
  retry: RetryOptions;
  /** a raw event as the core sees it (members learned, encryption noticed on the way) */
  toIncoming: (roomId: string, event: RawEvent) => Promise<Incoming | undefined>;
}

/**
 * Reads a room's history with /messages (dir=b) from `from` (undefined: the room's newest event)
 * back to `to` (a sync token: where the previous batch ended) or the room's start, and yields it
 * oldest first without holding it in memory. The first pass only remembers where each page
 * starts; the second fetches the same pages again, oldest page first, each page reversed. Order
 * matters: an edit or a 📌 must come after the message it refers to.
 *
 * Bounding the walk by sync token (not by timestamps) is the spec's way to fill a limited
 * timeline's gap: a federated event with a slow clock is still inside it, and nothing before
 * `to` is replayed. A failing page throws: the caller must not treat the gap as filled.
 */
export async function* roomHistory(
  o: HistoryOptions,
  roomId: string,
  range: HistoryRange,
): AsyncIterable<HistoryPage> {
  const path = `/rooms/${encodeURIComponent(roomId)}/messages`;
  const page = (from: string | undefined) =>
    withRetry(
      "messages",
      () =>
        o.client.http.authedRequest<MessagesResponse>(Method.Get, path, {
          dir: "b",
          limit: String(PAGE),
          ...(from ? { from } : {}),
          ...(range.to ? { to: range.to } : {}),
        }),
      o.retry,
    );

  const starts: string[] = [];
  let token = range.from;
  for (;;) {
    const res = await page(token);
    if (res.chunk.length === 0) break;
    // Without `from` the server starts at the room's current end; pin that position (`start`) so
    // the second pass reads the same page even if more was said meanwhile.
    starts.push(token ?? res.start);
    if (!res.end || res.end === token) break;
    token = res.end;
  }

  for (const start of starts.reverse()) {
    const res = await page(start);
    const items: Incoming[] = [];
    for (const event of res.chunk.toReversed()) {
      const item = await o.toIncoming(roomId, event);
      if (item) items.push(item);
    }
    yield { items };
  }
}
