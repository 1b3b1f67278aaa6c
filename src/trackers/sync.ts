import type { Clock } from "../clock.ts";
import type { Logger } from "../logging.ts";
import type { ExporterDeps } from "./exporter.ts";

export interface ClosedItem {
  incidentId: number;
  number: number;
  ref: string;
}

/**
 * One pass: every exported, still open item of the configured tracker whose issue is closed
 * there is marked done (at the time of the pass). The first tracker error ends the pass (a rate
 * limit or a revoked token would fail every call the same); the next pass starts over.
 */
export async function syncClosed(deps: ExporterDeps): Promise<ClosedItem[]> {
  const { repos, tracker } = deps;
  const closed: ClosedItem[] = [];
  for (const item of repos.actions.openExports(tracker.kind)) {
    const link = item.link;
    if (!link) continue;
    let issue: Awaited<ReturnType<typeof tracker.issue>>;
    try {
      issue = await tracker.issue(link.id);
    } catch (error) {
      deps.log.warn(
        { err: error, incident: item.incidentId, action: item.number },
        "tracker sync stopped",
      );
      break;
    }
    if (!issue.closed) continue;
    const changed = repos.transaction(() => {
      const now = repos.actions.get(item.incidentId, item.number);
      if (!now || now.doneAt !== null) return false;
      repos.actions.setDone(now.id, deps.clock.now());
      return true;
    });
    if (changed) {
      closed.push({ incidentId: item.incidentId, number: item.number, ref: link.ref });
      deps.log.info(
        { incident: item.incidentId, action: item.number, issue: link.ref },
        "issue closed: action done",
      );
    }
  }
  return closed;
}

/**
 * Runs `pass` once every `every` ms of the injected clock. `tick()` is what a timer calls (and a
 * test, after moving its fixed clock); a pass still running is never started twice.
 */
export function syncSchedule(options: {
  every: number;
  clock: Clock;
  log: Logger;
  pass: () => Promise<unknown>;
}) {
  let last: number | undefined;
  let running: Promise<unknown> | undefined;
  const tick = async (): Promise<boolean> => {
    const now = options.clock.now();
    if (running || (last !== undefined && now - last < options.every)) return false;
    last = now;
    running = options.pass().catch((error: unknown) => {
      options.log.warn({ err: error }, "tracker sync failed");
    });
    try {
      await running;
    } finally {
      running = undefined;
    }
    return true;
  };
  return {
    tick,
    /** Checks every `pollMs` whether a pass is due; returns the function that stops it. */
    start(pollMs = 5_000): () => Promise<void> {
      const timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
