import type { Server } from "node:http";
import { constants } from "node:os";
import type { Db } from "../storage/database.ts";
import type { Logger } from "./logging.ts";

/** The part of `process` signal handling needs; tests pass a fake to see what happens. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never | void;
}

export interface SignalWatch {
  /** resolves with the first SIGTERM/SIGINT: time to stop taking work and shut down */
  requested: Promise<NodeJS.Signals>;
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];

/**
 * The first SIGTERM or SIGINT asks for a graceful shutdown (the caller stops the adapters,
 * finishes in-flight work, closes the database). A second one means "now": the process exits at
 * once with the shell's 128+signal code, without waiting for anything that may be stuck.
 */
export function watchSignals(log: Logger, source: SignalSource = process): SignalWatch {
  let received: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const requested = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  const listener = (signal: NodeJS.Signals) => {
    if (received) {
      log.warn({ signal }, "second signal: exiting at once");
      source.exit(128 + (constants.signals[signal] ?? 15));
      return;
    }
    received = signal;
    log.info({ signal }, "shutting down: finishing in-flight work (signal again to exit at once)");
    resolve(signal);
  };
  for (const signal of SIGNALS) source.on(signal, listener);
  return {
    requested,
    dispose() {
      for (const signal of SIGNALS) source.off(signal, listener);
    },
  };
}

/**
 * Folds the write-ahead log into the database file and closes it, so the file on the volume is
 * complete by itself (a copy of just hindsight.db is a good copy) and the next start has no WAL
 * to recover. Closing twice is harmless.
 */
export function closeDatabase(db: Db, log: Logger): void {
  if (!db.open) return;
  try {
    if (!db.readonly) db.pragma("wal_checkpoint(TRUNCATE)");
  } catch (error) {
    // Another process (a backup, the CLI) may hold a read lock; SQLite checkpoints on its close.
    log.warn({ err: error }, "could not checkpoint the write-ahead log");
  }
  db.close();
}

/** Runs fn once; later calls get the first call's promise (a signal and end-of-input both stop). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}

/**
 * Closes an HTTP server without letting one client hold the shutdown: `close` (the server's own
 * close, or Bolt's stop() that calls it) stops taking connections and closes the idle ones, but
 * waits for every connection mid-request, and Node only gives up on a stalled one after a minute
 * (headersTimeout) or five (requestTimeout). Requests already under way get `graceMs` to finish;
 * then every connection left is closed.
 */
export async function closeServer(
  server: Server,
  graceMs: number,
  close: () => Promise<unknown> = () =>
    new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    ),
): Promise<void> {
  const closed = close();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bounded last resort after a graceful stop: everything is closed and the database
 * checkpointed, so the process should end by itself. If something still holds it open `ms` later
 * (a call abandoned after its grace and still retrying, a library's stray socket or timer), say
 * what, and exit with the exit code already set. The timer is unref'd: it never keeps the process
 * alive itself, and normally the process is gone before it fires.
 */
export function exitIfHeldOpen(
  log: Logger,
  ms: number,
  exit: (code?: number) => void = (code) => process.exit(code),
): void {
  const timer = setTimeout(() => {
    const holding = process.getActiveResourcesInfo();
    log.warn({ holding, afterMs: ms }, "still held open after stopping; exiting");
    exit();
  }, ms);
  timer.unref();
}
