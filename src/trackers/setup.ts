import type { Env } from "../config.ts";
import type { Logger } from "../logging.ts";
import type { CallOptions } from "./call.ts";
import { githubTracker } from "./github.ts";
import { gitlabTracker } from "./gitlab.ts";
import { jiraTracker } from "./jira.ts";
import type { Tracker } from "./tracker.ts";

/** A tracker request that has not answered in this long is reported as a timeout. */
export const TRACKER_TIMEOUT_MS = 15_000;

/** The configured tracker, or undefined when HINDSIGHT_TRACKER is not set. */
export function trackerFromConfig(
  config: Env,
  log: Logger,
  options: Partial<CallOptions> = {},
): Tracker | undefined {
  const kind = config.HINDSIGHT_TRACKER;
  if (!kind) return undefined;
  const call: CallOptions = { timeoutMs: TRACKER_TIMEOUT_MS, now: Date.now, ...options };
  // The schema made these required whenever a tracker is set.
  const project = config.HINDSIGHT_TRACKER_PROJECT!;
  const token = config.HINDSIGHT_TRACKER_TOKEN!;
  const url = config.HINDSIGHT_TRACKER_URL;
  const base = { project, token, ...(url ? { url } : {}) };
  if (kind === "github") return githubTracker(base, call, log);
  if (kind === "gitlab") return gitlabTracker(base, call);
  return jiraTracker({ project, token, url: url! }, call);
}
