import type { Env } from "../config.ts";
import type { Logger } from "../logging.ts";
import type { CallOptions } from "./call.ts";
import type { Tracker } from "./tracker.ts";

/** A tracker request that has not answered in this long is reported as a timeout. */
export const TRACKER_TIMEOUT_MS = 15_000;

/**
 * The configured tracker, or undefined when HINDSIGHT_TRACKER is not set. Only that tracker's
 * client is loaded: the three together add a good part of a second to every start.
 */
export async function trackerFromConfig(
  config: Env,
  log: Logger,
  options: Partial<CallOptions> = {},
): Promise<Tracker | undefined> {
  const kind = config.HINDSIGHT_TRACKER;
  if (!kind) return undefined;
  const call: CallOptions = { timeoutMs: TRACKER_TIMEOUT_MS, now: Date.now, ...options };
  // The schema made these required whenever a tracker is set.
  const project = config.HINDSIGHT_TRACKER_PROJECT!;
  const token = config.HINDSIGHT_TRACKER_TOKEN!;
  const url = config.HINDSIGHT_TRACKER_URL;
  const base = { project, token, ...(url ? { url } : {}) };
  if (kind === "github") return (await import("./github.ts")).githubTracker(base, call, log);
  if (kind === "gitlab") return (await import("./gitlab.ts")).gitlabTracker(base, call);
  return (await import("./jira.ts")).jiraTracker({ project, token, url: url! }, call);
}
