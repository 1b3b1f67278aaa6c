import type { Clock } from "./clock.ts";
import type { Stores } from "./incidents/stores.ts";
import type { Logger } from "./logging.ts";

/**
 * Dedupe rows only need to outlive redeliveries: Slack retries within the hour, a Matrix sync
 * replay comes right after a restart. A month is far beyond either, and keeps a year-long
 * deployment's processed_events table from growing with every event of every channel.
 */
export const DEDUPE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
// Pruning scans processed_events: once a day that costs less than an index every command updates.

export function pruneOnce(stores: Stores, clock: Clock, log: Logger): number {
  const removed = stores.transaction(() => stores.events.prune(clock.now() - DEDUPE_RETENTION_MS));
  if (removed > 0) log.info({ removed }, "pruned old dedupe entries");
  return removed;
}

/** Prunes now and then daily; returns the function that stops it. */
export function startHousekeeping(stores: Stores, clock: Clock, log: Logger): () => void {
  const run = () => {
    try {
      pruneOnce(stores, clock, log);
    } catch (error) {
      // Housekeeping must never take the bot down (a locked or full database): try again tomorrow.
      log.warn({ err: error }, "housekeeping failed");
    }
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
