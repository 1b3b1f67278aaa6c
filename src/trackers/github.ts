import { Octokit } from "@octokit/rest";
import type { Logger } from "../logging.ts";
import { type CallOptions, call, headerRecord } from "./call.ts";
import { issueMarkdown, type NewIssue, type Tracker, type TrackerIssue } from "./tracker.ts";
import type { HttpFailure } from "./trackerError.ts";

export interface GitHubSettings {
  /** API base: https://api.github.com, or https://ghe.example.com/api/v3 */
  url?: string;
  /** owner/repo */
  project: string;
  token: string;
}

interface GitHubIssue {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  created_at: string;
  pull_request?: unknown;
}

// Issues filed by a process whose clock ran a little behind or ahead are still found.
const CLOCK_SLACK_MS = 10 * 60_000;

const toIssue = (i: GitHubIssue): TrackerIssue => ({
  id: String(i.number),
  ref: `#${i.number}`,
  url: i.html_url,
  closed: i.state === "closed",
});

/** RequestError from @octokit/request: `status`, and `response` when GitHub answered. */
function failureOf(error: unknown): HttpFailure | undefined {
  const e = error as { status?: unknown; response?: { headers?: unknown; data?: unknown } };
  if (typeof e?.status !== "number" || !e.response) return undefined;
  return { status: e.status, headers: headerRecord(e.response.headers), body: e.response.data };
}

export function githubTracker(
  settings: GitHubSettings,
  options: CallOptions,
  log: Logger,
): Tracker {
  const [owner, repo] = settings.project.split("/") as [string, string];
  const octokit = new Octokit({
    auth: settings.token,
    userAgent: "hindsight",
    ...(settings.url ? { baseUrl: settings.url.replace(/\/+$/, "") } : {}),
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  const name = "GitHub";
  const run = <T>(request: (signal: AbortSignal) => Promise<T>) =>
    call(name, options, failureOf, request);

  return {
    kind: "github",
    name,
    async create(issue: NewIssue) {
      const { data } = await run((signal) =>
        octokit.rest.issues.create({
          owner,
          repo,
          title: issue.title,
          body: issueMarkdown(issue),
          request: { signal },
        }),
      );
      return toIssue(data);
    },
    // Not the search API: its index lags behind by up to a minute, which is exactly the window
    // after a crash. The repository's issue list is consistent: newest first, updated since then.
    async findByMarker(marker, since) {
      const from = since - CLOCK_SLACK_MS;
      for (let page = 1; page <= 10; page++) {
        const { data } = await run((signal) =>
          octokit.rest.issues.listForRepo({
            owner,
            repo,
            state: "all",
            sort: "created",
            direction: "desc",
            since: new Date(from).toISOString(),
            per_page: 100,
            page,
            request: { signal },
          }),
        );
        const found = data.find((i) => !i.pull_request && i.body?.includes(marker));
        if (found) return toIssue(found);
        if (data.length < 100 || Date.parse(data.at(-1)!.created_at) < from) return undefined;
      }
      return undefined;
    },
    async issue(id) {
      const { data } = await run((signal) =>
        octokit.rest.issues.get({ owner, repo, issue_number: Number(id), request: { signal } }),
      );
      return toIssue(data);
    },
  };
}
