import { Issues } from "@gitbeaker/core";
import { createRequesterFn, type RequestOptions } from "@gitbeaker/requester-utils";
import { type CallOptions, call, headerRecord } from "./call.ts";
import { issueMarkdown, type NewIssue, type Tracker, type TrackerIssue } from "./tracker.ts";
import type { HttpFailure } from "./trackerError.ts";

export interface GitLabSettings {
  /** https://gitlab.com (the default) or a self-managed instance; `/api/v4` may be included */
  url?: string;
  /** group/project, or the numeric project id */
  project: string;
  token: string;
}

interface GitLabIssue {
  iid: number;
  web_url: string;
  state: string;
  description?: string | null;
}

// Issues filed by a process whose clock ran a little behind or ahead are still found.
const CLOCK_SLACK_MS = 10 * 60_000;

const toIssue = (i: GitLabIssue): TrackerIssue => ({
  id: String(i.iid),
  ref: `#${i.iid}`,
  url: i.web_url,
  closed: i.state === "closed",
});

/** Thrown by our request handler with what GitLab answered. */
class GitLabHttpError extends Error {
  readonly failure: HttpFailure;
  constructor(failure: HttpFailure) {
    super(`GitLab answered ${failure.status}`);
    this.failure = failure;
  }
}

const failureOf = (error: unknown) =>
  error instanceof GitLabHttpError ? error.failure : undefined;

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!(response.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * gitbeaker's resources with a request handler of our own: its stock one retries a 429 ten times
 * within a quarter of a second and then throws away GitLab's Retry-After, and it cannot take a
 * per-request timeout. Ours makes one attempt, with the call's signal, and keeps the headers.
 */
function requesterFor(signal: AbortSignal) {
  return createRequesterFn(
    async (_service, options) => options,
    async (endpoint, raw) => {
      const options = (raw ?? {}) as RequestOptions;
      const prefix = options.prefixUrl ?? "";
      const url = new URL(endpoint, prefix.endsWith("/") ? prefix : `${prefix}/`);
      if (options.searchParams) url.search = options.searchParams;
      const response = await fetch(url, {
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
        signal,
      });
      const body = await bodyOf(response);
      const headers = headerRecord(response.headers);
      if (!response.ok)
        throw new GitLabHttpError({
          status: response.status,
          statusText: response.statusText,
          headers,
          body,
        });
      return {
        body: body as Record<string, unknown>,
        headers: headers as Record<string, string>,
        status: response.status,
      };
    },
  );
}

export function gitlabTracker(settings: GitLabSettings, options: CallOptions): Tracker {
  const host = (settings.url ?? "https://gitlab.com").replace(/\/+$/, "").replace(/\/api\/v4$/, "");
  const project = /^\d+$/.test(settings.project) ? Number(settings.project) : settings.project;
  const name = "GitLab";
  const issues = (signal: AbortSignal) =>
    // queryTimeout 0: the call's own signal is the timeout (gitbeaker's default is 5 minutes).
    new Issues({ host, token: settings.token, queryTimeout: 0, requesterFn: requesterFor(signal) });
  const run = <T>(request: (api: ReturnType<typeof issues>) => Promise<T>) =>
    call(name, options, failureOf, (signal) => request(issues(signal)));

  return {
    kind: "gitlab",
    name,
    async create(issue: NewIssue) {
      const created = await run((api) =>
        api.create(project, issue.title, { description: issueMarkdown(issue) }),
      );
      return toIssue(created as unknown as GitLabIssue);
    },
    // Not `search`: on GitLab.com it is a full-text index that splits the marker into words and
    // may lag. The project's issues created since the item went pending are few and consistent.
    async findByMarker(marker, since) {
      const found = await run((api) =>
        api.all({
          projectId: project,
          createdAfter: new Date(since - CLOCK_SLACK_MS).toISOString(),
          orderBy: "created_at",
          sort: "desc",
          perPage: 100,
          maxPages: 10,
        }),
      );
      const hit = (found as unknown as GitLabIssue[]).find((i) => i.description?.includes(marker));
      return hit && toIssue(hit);
    },
    async issue(id) {
      const shown = await run((api) => api.show(Number(id), { projectId: project }));
      return toIssue(shown as unknown as GitLabIssue);
    },
  };
}
