import { setTimeout as timer } from "node:timers/promises";
import { MatrixError } from "matrix-js-sdk";
import type { Logger } from "../../logging.ts";

export interface RetryOptions {
  log: Logger;
  /** aborted once the adapter is stopping: waits end at once and calls give up */
  signal: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  /** attempts for errors other than rate limits (connection problems, 5xx) */
  attempts?: number;
}

/** Thrown when a wait or a call is cut short because the adapter is stopping. */
export class StoppedError extends Error {
  override name = "StoppedError";
}

/**
 * Waits `ms`, or less when `signal` aborts first (then it resolves: the caller checks the signal).
 * A stop must never wait out a 60 s backoff or a server's retry_after_ms.
 */
export function pause(
  ms: number,
  signal: AbortSignal,
  sleep?: (ms: number) => Promise<void>,
): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  if (!sleep) return timer(ms, undefined, { signal }).catch(() => {});
  return untilAborted(sleep(ms), signal).catch(() => {});
}

/** The call's result, or a StoppedError as soon as `signal` aborts (the call may still run on). */
export function untilAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  // The call is left to finish on its own; its failure then is nobody's to handle.
  call.catch(() => {});
  if (signal.aborted) return Promise.reject(new StoppedError("stopping"));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new StoppedError("stopping"));
    signal.addEventListener("abort", stop, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

/**
 * Runs a homeserver call; `M_LIMIT_EXCEEDED` (HTTP 429) is waited out for `retry_after_ms` (or a
 * growing backoff when the server names none) and retried for as long as the adapter runs: a
 * reply is never dropped because the server asked us to slow down. Other transient failures
 * (network, 5xx) get a few attempts. Callers pass a fixed transaction id so a retried send that
 * did reach the server is deduplicated by it, not posted twice.
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  o: RetryOptions,
): Promise<T> {
  const attempts = o.attempts ?? 4;
  let failures = 0;
  let limited = 0;
  for (;;) {
    if (o.signal.aborted) throw new StoppedError("stopping");
    try {
      return await untilAborted(fn(), o.signal);
    } catch (error) {
      if (o.signal.aborted) throw error;
      if (error instanceof MatrixError && error.isRateLimitError()) {
        limited += 1;
        const wait = error.getRetryAfterMs() ?? Math.min(30_000, 500 * 2 ** limited);
        o.log.warn({ what, waitMs: wait }, "rate limited by the homeserver; waiting");
        await pause(wait, o.signal, o.sleep);
        continue;
      }
      failures += 1;
      if (!isTransient(error) || failures >= attempts) throw error;
      o.log.warn(
        { what, attempt: failures, err: describe(error) },
        "homeserver call failed; retrying",
      );
      await pause(Math.min(10_000, 250 * 2 ** failures), o.signal, o.sleep);
    }
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof MatrixError) return (error.httpStatus ?? 0) >= 500;
  return true;
}

/** Error text without request details (URLs may carry tokens on some servers). */
export function describe(error: unknown): string {
  if (error instanceof MatrixError)
    return `${error.errcode ?? "error"} ${error.httpStatus ?? ""}: ${error.data.error ?? ""}`.trim();
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
