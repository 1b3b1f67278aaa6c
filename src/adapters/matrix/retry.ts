import { MatrixError } from "matrix-js-sdk";
import type { Logger } from "../../logging.ts";

export interface RetryOptions {
  log: Logger;
  /** true once the adapter is stopping: give up waiting */
  stopped: () => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** attempts for errors other than rate limits (connection problems, 5xx) */
  attempts?: number;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  const sleep = o.sleep ?? sleepMs;
  const attempts = o.attempts ?? 4;
  let failures = 0;
  let limited = 0;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (o.stopped()) throw error;
      if (error instanceof MatrixError && error.isRateLimitError()) {
        limited += 1;
        const wait = error.getRetryAfterMs() ?? Math.min(30_000, 500 * 2 ** limited);
        o.log.warn({ what, waitMs: wait }, "rate limited by the homeserver; waiting");
        await sleep(wait);
        continue;
      }
      failures += 1;
      if (!isTransient(error) || failures >= attempts) throw error;
      o.log.warn(
        { what, attempt: failures, err: describe(error) },
        "homeserver call failed; retrying",
      );
      await sleep(Math.min(10_000, 250 * 2 ** failures));
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
