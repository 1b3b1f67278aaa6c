import { type MatrixClient, MatrixError, Method } from "matrix-js-sdk";
import type { Logger } from "../../logging.ts";
import type { Position } from "./batch.ts";
import { describe } from "./retry.ts";
import type { KeyValue } from "./session.ts";
import type { SyncResponse } from "./wire.ts";

export interface SyncLoopOptions {
  client: MatrixClient;
  state: KeyValue;
  log: Logger;
  userId: string;
  /** long-poll timeout the server may hold a /sync open */
  timeoutMs: number;
  /** most timeline events per room in one /sync; more sets `limited` and we page the gap */
  timelineLimit: number;
  /** handles a batch to completion and returns its newest event time */
  onBatch: (sync: SyncResponse, at: Position) => Promise<number>;
  onSuccess: () => void;
  signal: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

interface Saved {
  since: string;
  watermark: number;
}

/**
 * The /sync loop, driven by us through the SDK's authenticated HTTP layer rather than by
 * `client.startClient()`. Why: the SDK's SyncApi stores `next_batch` *before* it processes a
 * response (so a crash mid-batch would skip events), emits events to listeners without waiting
 * for async handlers, and keeps every room's timeline in memory. Here the token is written to the
 * database only after every event of the batch has been handled and committed (bot.handle is
 * synchronous and transactional), so a restart resumes exactly after the last handled batch and
 * dedupe on event ids (processed_events, messages) absorbs any overlap.
 */
export async function runSyncLoop(o: SyncLoopOptions): Promise<void> {
  const key = `matrix:sync:${o.userId}`;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let saved = readSaved(o.state.get(key));
  let failures = 0;
  while (!o.signal.aborted) {
    const first = saved === undefined;
    let sync: SyncResponse;
    try {
      sync = await o.client.http.authedRequest<SyncResponse>(
        Method.Get,
        "/sync",
        {
          ...(saved ? { since: saved.since } : {}),
          // The first sync only takes a position (and lists rooms and invitations): no long poll.
          timeout: String(first ? 0 : o.timeoutMs),
          filter: JSON.stringify(filterFor(first ? 1 : o.timelineLimit)),
        },
        undefined,
        { abortSignal: o.signal, localTimeoutMs: o.timeoutMs + 30_000, priority: "auto" },
      );
    } catch (error) {
      if (o.signal.aborted) return;
      failures += 1;
      const wait =
        error instanceof MatrixError && error.isRateLimitError()
          ? (error.getRetryAfterMs() ?? 5000)
          : Math.min(60_000, 500 * 2 ** failures);
      o.log.warn({ err: describe(error), waitMs: wait }, "sync failed; retrying");
      await sleep(wait);
      continue;
    }
    failures = 0;
    o.onSuccess();
    const watermark = await o.onBatch(sync, { first, watermark: saved?.watermark ?? 0 });
    if (o.signal.aborted) return;
    saved = { since: sync.next_batch, watermark };
    o.state.set(key, JSON.stringify(saved));
  }
}

function filterFor(limit: number) {
  return {
    presence: { types: [] },
    account_data: { types: [] },
    room: {
      timeline: { limit },
      state: { lazy_load_members: true },
      ephemeral: { types: [] },
      account_data: { types: [] },
    },
  };
}

function readSaved(raw: string | undefined): Saved | undefined {
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Saved;
    return typeof s.since === "string" ? s : undefined;
  } catch {
    return undefined;
  }
}
