import type { Clock } from "../clock.ts";
import type { Logger } from "../logging.ts";
import { type ExporterDeps, exportPending } from "./exporter.ts";
import type { TrackerIssue } from "./tracker.ts";

export interface ClosedItem {
  incidentId: number;
  number: number;
  ref: string;
}

/**
 * One pass: every exported, still open item of the configured tracker whose issue is closed
 * there is marked done (at the time of the pass), once: an item someone reopens in chat stays open
 * until its issue is reopened and closed again. The first tracker error ends the pass (a rate
 * limit or a revoked token would fail every call the same); the next pass starts over.
 */
export async function syncClosed(deps: ExporterDeps): Promise<ClosedItem[]> {
  const { repos, tracker } = deps;
  const closed: ClosedItem[] = [];
  for (const item of repos.actions.openExports(tracker.kind)) {
    const link = item.link;
    if (!link) continue;
    let issue: TrackerIssue;
    try {
      issue = await tracker.issue(link.id);
    } catch (error) {
      deps.log.warn(
        { err: error, incident: item.incidentId, action: item.number },
        "tracker sync stopped",
      );
      break;
    }
    if (!issue.closed) {
      if (item.trackerClosedAt !== null)
        repos.transaction(() => repos.actions.setTrackerClosed(item.id, null));
      continue;
    }
    if (item.trackerClosedAt !== null) continue;
    const changed = repos.transaction(() => {
      const now = repos.actions.get(item.incidentId, item.number);
      if (!now || now.doneAt !== null) return false;
      const at = deps.clock.now();
      repos.actions.setDone(now.id, at);
      repos.actions.setTrackerClosed(now.id, at);
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

/** An export still pending this long was interrupted (a crash, a restart, a lost follow-up). */
export const RESUME_AFTER_MS = 2 * 60_000;

/**
 * Finishes exports that were interrupted: items pending for `RESUME_AFTER_MS` or more are looked
 * up by their marker and filed only if absent, exactly as a repeated `/action export` would.
 * Returns each incident's outcome line, for its room or the log.
 */
export async function resumePending(
  deps: ExporterDeps,
): Promise<{ incidentId: number; line: string }[]> {
  const stale = deps.repos.actions.stalePending(deps.clock.now() - RESUME_AFTER_MS);
  const byIncident = new Map<number, number[]>();
  for (const item of stale)
    byIncident.set(item.incidentId, [...(byIncident.get(item.incidentId) ?? []), item.number]);
  const lines: { incidentId: number; line: string }[] = [];
  for (const [incidentId, numbers] of byIncident)
    lines.push({ incidentId, line: await exportPending(deps, { incidentId, numbers }) });
  return lines;
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
