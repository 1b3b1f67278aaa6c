import type { Clock } from "../clock.ts";
import type { Effect } from "../core/reply.ts";
import type { TrackerStores } from "../incidents/stores.ts";
import type { ActionItem, TrackerLink } from "../incidents/types.ts";
import { type Logger, tellObserver } from "../logging.ts";
import { installId, issueContent } from "./content.ts";
import { issueMarker, type Tracker, type TrackerIssue } from "./tracker.ts";
import { TrackerError } from "./trackerError.ts";

/** Counted per tracker: `done` (filed, or found after a crash) and `failed` items. */
export interface ExportObserver {
  exported?(tracker: string, outcome: "done" | "failed", items: number): void;
}

export interface ExporterDeps {
  repos: TrackerStores;
  tracker: Tracker;
  clock: Clock;
  log: Logger;
  observer?: ExportObserver;
  /**
   * Item ids being exported by this process right now. Two `/action export 3` typed in quick
   * succession would otherwise both look, both find nothing and both file.
   */
  inFlight: Set<number>;
}

/** What `/action export` asked for: its items were marked pending in the command's transaction. */
export interface ExportJob {
  incidentId: number;
  numbers: readonly number[];
}

export function exporterDeps(deps: Omit<ExporterDeps, "inFlight">): ExporterDeps {
  return { ...deps, inFlight: new Set() };
}

type Step =
  | { kind: "done"; item: ActionItem; issue: TrackerIssue; found: boolean }
  | { kind: "skipped"; item: ActionItem; why: string };

/**
 * Files each pending item of the job, one at a time, outside any database transaction:
 * look the issue up by its marker (a crash after the tracker's answer left the item pending with
 * its issue filed), file it if absent, then record the link (own transaction). The first tracker
 * error stops the run: items it never reached go back to unexported, and so does the failed one
 * when the tracker clearly refused; after a timeout or a 5xx it stays pending, to be looked up
 * next time. Returns the one line for the room; never throws.
 */
export async function exportPending(deps: ExporterDeps, job: ExportJob): Promise<string> {
  const { repos, tracker } = deps;
  const incident = repos.incidents.get(job.incidentId);
  if (!incident) return `INC-${job.incidentId} no longer exists; nothing exported`;
  const steps: Step[] = [];
  const claimed: number[] = [];
  try {
    const install = installId(repos);
    for (const [index, number] of job.numbers.entries()) {
      const item = repos.actions.get(incident.id, number);
      if (item?.exportState !== "pending") continue;
      if (deps.inFlight.has(item.id)) {
        steps.push({ kind: "skipped", item, why: "already being exported" });
        continue;
      }
      deps.inFlight.add(item.id);
      claimed.push(item.id);
      try {
        const marker = issueMarker(incident.id, item.number, install);
        const since = item.exportPendingAt ?? deps.clock.now();
        const existing = await tracker.findByMarker(marker, since);
        const issue =
          existing ??
          (await tracker.create({
            title: item.text,
            content: issueContent(repos, incident, item),
            marker,
          }));
        const link: TrackerLink = {
          tracker: tracker.kind,
          id: issue.id,
          ref: issue.ref,
          url: issue.url,
        };
        repos.transaction(() => repos.actions.recordExport(item.id, link));
        steps.push({ kind: "done", item, issue, found: existing !== undefined });
      } catch (error) {
        const failure = asTrackerError(error, tracker.name);
        // Only this run's own: an item another export is filing right now is left to it.
        const untried = job.numbers.slice(index + 1).filter((n) => {
          const rest = repos.actions.get(incident.id, n);
          return rest?.exportState === "pending" && !deps.inFlight.has(rest.id);
        });
        release(repos, incident.id, failure.refused ? [number, ...untried] : untried);
        tellObserver(deps.log, () =>
          deps.observer?.exported?.(tracker.kind, "failed", 1 + untried.length),
        );
        deps.log.warn({ err: error, incident: incident.id, action: number }, "export failed");
        return failedLine(steps, failure, number, untried, tracker.name);
      }
    }
  } catch (error) {
    // The database itself failed (disk full): the items stay pending and are looked up next time.
    deps.log.error({ err: error, incident: incident.id }, "export interrupted");
    return `Export to ${tracker.name} interrupted (ref ${deps.clock.now().toString(36)}); pending items are looked up before filing again`;
  } finally {
    for (const id of claimed) deps.inFlight.delete(id);
  }
  const done = steps.filter((s) => s.kind === "done");
  if (done.length > 0)
    tellObserver(deps.log, () => deps.observer?.exported?.(tracker.kind, "done", done.length));
  return successLine(steps, tracker.name);
}

function asTrackerError(error: unknown, name: string): TrackerError {
  if (error instanceof TrackerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TrackerError(`${name} export failed: ${message}`, { refused: false, cause: error });
}

function release(repos: TrackerStores, incidentId: number, numbers: readonly number[]): void {
  repos.transaction(() => {
    for (const n of numbers) {
      const item = repos.actions.get(incidentId, n);
      if (item) repos.actions.clearExportPending(item.id);
    }
  });
}

const plural = (n: number) => `${n} action item${n === 1 ? "" : "s"}`;
const list = (numbers: readonly number[]) => numbers.join(", ");

/** "Exported 2 action items to GitHub: 1 → url, 3 → url", or "" when none was. */
function doneText(steps: Step[], name: string): string {
  const done = steps.flatMap((s) => (s.kind === "done" ? [s] : []));
  if (done.length === 0) return "";
  const parts = done.map(
    (s) => `${s.item.number} → ${s.issue.url}${s.found ? " (already filed before a restart)" : ""}`,
  );
  return `Exported ${plural(done.length)} to ${name}: ${parts.join(", ")}`;
}

function successLine(steps: Step[], name: string): string {
  const busy = steps.flatMap((s) => (s.kind === "skipped" ? [s.item.number] : []));
  const busyText = busy.length > 0 ? `already being exported to ${name}: ${list(busy)}` : "";
  const done = doneText(steps, name);
  if (done && busyText) return `${done}; ${busyText}`;
  if (done) return done;
  if (busyText) return busyText[0]!.toUpperCase() + busyText.slice(1);
  return `Nothing to export to ${name}: the items are exported or gone`;
}

/**
 * The failure, with what became of each item: filed ones are said first; after a refusal the
 * failed item and the untried ones are unexported again; after a timeout the failed one is pending.
 */
function failedLine(
  steps: Step[],
  failure: TrackerError,
  number: number,
  untried: readonly number[],
  name: string,
): string {
  const done = doneText(steps, name);
  const reason = failure.message.replace(/; nothing changed$/, "");
  const pending = `action ${number} stays pending: /action export ${number} looks for its issue before filing again`;
  if (!done) {
    const rest = untried.length > 0 ? `; ${list(untried)} not exported` : "";
    return failure.refused ? `${failure.message}${rest}` : `${reason}; ${pending}${rest}`;
  }
  const unexported = failure.refused ? [number, ...untried] : untried;
  const rest = unexported.length > 0 ? `; ${list(unexported)} not exported` : "";
  return `${done}. Then ${reason}${failure.refused ? "" : `; ${pending}`}${rest}`;
}

/**
 * The follow-up an adapter (or the follow-up engine) runs after a reply was sent: each
 * `export-actions` effect is exported and its one line handed to `post`, for the room the command
 * came from. Without a tracker there is nothing to do (the command refuses before marking).
 */
export async function runExportEffects(
  deps: ExporterDeps | undefined,
  effects: readonly Effect[] | undefined,
  post: (line: string) => void | Promise<void>,
): Promise<void> {
  if (!deps) return;
  for (const effect of effects ?? []) {
    if (effect.kind !== "export-actions") continue;
    const line = await exportPending(deps, effect);
    try {
      await post(line);
    } catch (error) {
      deps.log.warn({ err: error, line }, "export outcome not posted");
    }
  }
}
