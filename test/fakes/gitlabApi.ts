import { type Answer, startTrackerHttp, type TrackerRequest } from "./trackerHttp.ts";

interface Issue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: "opened" | "closed";
  created_at: string;
  updated_at: string;
}

/** GitLab's error bodies: `{message}` (a string, or field → messages), or `{error}`. */
export const gitlabError = (status: number, message: unknown): Answer => ({
  status,
  body: { message },
});

/**
 * GitLab's REST API (v4) for one project's issues: create, list (all states, `created_after`,
 * newest first, `search` as words that must all occur), get by iid. The project is addressed
 * by its URL-encoded path or its id; the token comes as `PRIVATE-TOKEN`.
 */
export async function startFakeGitLab(options: {
  project: string;
  projectId: number;
  token: string;
  now: () => number;
}) {
  const issues: Issue[] = [];
  const web = (iid: number) => `https://gitlab.example/${options.project}/-/issues/${iid}`;
  const view = (i: Issue) => ({ ...i, web_url: web(i.iid) });

  const route = (req: TrackerRequest): Answer | undefined => {
    if (req.headers["private-token"] !== options.token) return gitlabError(401, "401 Unauthorized");
    const m = /^\/api\/v4\/projects\/([^/]+)\/issues(?:\/(\d+))?$/.exec(req.path);
    if (!m) return undefined;
    const project = decodeURIComponent(m[1]!);
    if (project !== options.project && project !== String(options.projectId))
      return gitlabError(404, "404 Project Not Found");
    if (m[2]) {
      const issue = issues.find((i) => i.iid === Number(m[2]));
      return issue ? { status: 200, body: view(issue) } : gitlabError(404, "404 Not found");
    }
    if (req.method === "POST") return create(req.body as { title?: string; description?: string });
    if (req.method === "GET") return list(req.query);
    return undefined;
  };

  function create(body: { title?: string; description?: string }): Answer {
    if (!body.title) return { status: 400, body: { error: "title is missing" } };
    if (body.title.length > 255)
      return gitlabError(422, { title: ["is too long (maximum is 255 characters)"] });
    const at = new Date(options.now()).toISOString();
    const issue: Issue = {
      id: 5000 + issues.length,
      iid: issues.length + 1,
      project_id: options.projectId,
      title: body.title,
      description: body.description ?? null,
      state: "opened",
      created_at: at,
      updated_at: at,
    };
    issues.push(issue);
    return { status: 201, body: view(issue) };
  }

  function list(query: URLSearchParams): Answer {
    const words = (query.get("search") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const after = query.get("created_after");
    const found = issues
      .filter((i) => words.every((w) => (i.description ?? "").toLowerCase().includes(w)))
      .filter((i) => !after || Date.parse(i.created_at) >= Date.parse(after))
      .sort((a, b) => b.iid - a.iid);
    return {
      status: 200,
      body: found.map(view),
      headers: {
        "x-page": "1",
        "x-per-page": "100",
        "x-total": String(found.length),
        "x-total-pages": "1",
      },
    };
  }

  const http = await startTrackerHttp(route);
  return {
    ...http,
    issues,
    closeIssue(iid: number): void {
      const issue = issues.find((i) => i.iid === iid)!;
      issue.state = "closed";
    },
    /** GitLab's rate limit: 429, a text body, Retry-After and the RateLimit-* headers */
    rateLimit(retryAfterSeconds: number): void {
      http.fail({
        status: 429,
        body: "Retry later\n",
        headers: {
          "retry-after": String(retryAfterSeconds),
          "ratelimit-name": "throttle_authenticated_api",
          "ratelimit-limit": "2000",
          "ratelimit-observed": "2001",
          "ratelimit-remaining": "0",
          "ratelimit-reset": String(Math.floor(options.now() / 1000) + retryAfterSeconds),
          "ratelimit-resettime": new Date(options.now() + retryAfterSeconds * 1000).toUTCString(),
        },
        times: 1,
      });
    },
  };
}
