import { type HttpFailure, httpError, TrackerError, transportError } from "./trackerError.ts";

/** What every tracker needs besides its own settings. */
export interface CallOptions {
  /** how long one request may take before the room is told the tracker did not answer */
  timeoutMs: number;
  now: () => number;
  /** a fresh signal per request; tests abort it themselves instead of waiting */
  signal?: (timeoutMs: number) => AbortSignal;
}

/** The reason a shutdown aborts requests in flight with (see `stoppable`). */
export class StoppingError extends Error {
  override readonly name = "StoppingError";
}

/**
 * Per-request signals that also end when `stop` is called: SIGTERM must not wait for a tracker
 * that takes its time. An export cut short stays pending and is looked up after the restart.
 */
export function stoppable(): { signal: (timeoutMs: number) => AbortSignal; stop(): void } {
  const controller = new AbortController();
  return {
    signal: (timeoutMs) => AbortSignal.any([AbortSignal.timeout(timeoutMs), controller.signal]),
    stop: () => controller.abort(new StoppingError("shutting down")),
  };
}

/**
 * Runs one request with its own timeout and turns whatever the client threw into a TrackerError.
 * `failureOf` reads the client's error shape; undefined means no HTTP answer was received.
 */
export async function call<T>(
  name: string,
  options: CallOptions,
  failureOf: (error: unknown) => HttpFailure | undefined,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = (options.signal ?? AbortSignal.timeout)(options.timeoutMs);
  try {
    return await request(signal);
  } catch (error) {
    if (error instanceof TrackerError) throw error;
    if (signal.aborted && signal.reason instanceof StoppingError)
      throw new TrackerError(`${name} export stopped: the bot is shutting down`, {
        refused: false,
        cause: error,
      });
    const failure = signal.aborted ? undefined : failureOf(error);
    if (failure) throw httpError(name, failure, options.now());
    throw transportError(name, error, signal.aborted, options.timeoutMs);
  }
}

/** Header names lower-cased, values as strings (clients hand them over in different shapes). */
export function headerRecord(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!headers || typeof headers !== "object") return out;
  const entries =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers as object);
  for (const [k, v] of entries) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}
