import { type MatrixClient, MatrixError, Method } from "matrix-js-sdk";
import type { KeyValue } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import { describe, pause } from "./retry.ts";
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
  /** handles a batch to completion; a throw means "not done": the same batch is fetched again */
  onBatch: (sync: SyncResponse, at: Position) => Promise<void>;
  onSuccess: () => void;
  signal: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

/** Where the previous run stopped: the sync token of the last batch handled to completion. */
export interface Position {
  first: boolean;
  since: string | undefined;
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
  // "matrix:sync:<user>" in the database: the store keeps each platform's keys apart.
  const key = `sync:${o.userId}`;
  let saved = readSaved(o.state.get(key));
  let failures = 0;
  const backOff = async (error: unknown, what: string) => {
    failures += 1;
    const wait =
      error instanceof MatrixError && error.isRateLimitError()
        ? (error.getRetryAfterMs() ?? 5000)
        : Math.min(60_000, 500 * 2 ** failures);
    o.log.warn({ err: describe(error), waitMs: wait }, what);
    await pause(wait, o.signal, o.sleep);
  };
  while (!o.signal.aborted) {
    const first = saved === undefined;
    let sync: SyncResponse;
    try {
      sync = await o.client.http.authedRequest<SyncResponse>(
        Method.Get,
        "/sync",
        {
          ...(saved ? { since: saved } : {}),
          // The first sync only takes a position (and lists rooms and invitations): no long poll.
          timeout: String(first ? 0 : o.timeoutMs),
          filter: JSON.stringify(filterFor(first ? 1 : o.timelineLimit)),
        },
        undefined,
        // Not the SDK's `localTimeoutMs`: it arms a timer it never clears, which kept the process
        // alive for up to a minute after SIGTERM. AbortSignal.timeout's timer does not hold it.
        {
          abortSignal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs + 30_000)]),
          priority: "auto",
        },
      );
    } catch (error) {
      if (o.signal.aborted) return;
      await backOff(error, "sync failed; retrying");
      continue;
    }
    o.onSuccess();
    try {
      await o.onBatch(sync, { first, since: saved });
    } catch (error) {
      if (o.signal.aborted) return;
      // Not saved: the next /sync asks from the same position and this batch comes back whole;
      // what was already handled is deduplicated by event id.
      await backOff(error, "could not handle a sync batch; retrying it");
      continue;
    }
    failures = 0;
    if (o.signal.aborted) return;
    saved = sync.next_batch;
    o.state.set(key, JSON.stringify({ since: saved }));
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

function readSaved(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as { since?: unknown };
    return typeof s.since === "string" ? s.since : undefined;
  } catch {
    return undefined;
  }
}
