import { type Answer, startTrackerHttp, type TrackerRequest } from "./trackerHttp.ts";

interface Issue {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  created_at: string;
  updated_at: string;
}

const DOCS = "https://docs.github.com/rest/issues/issues";

/** GitHub's error body: `{message, documentation_url, status}` (422s add `errors`). */
export const githubError = (status: number, message: string, extra: object = {}): Answer => ({
  status,
  body: { message, documentation_url: DOCS, status: String(status), ...extra },
});

/**
 * GitHub's REST API for one repository's issues: create, list (newest first, `since` on the
 * update time, paginated by `page`/`per_page`), get. Tokens arrive as `Authorization: token …`
 * (Octokit) and a wrong one is answered like GitHub does; every answer carries the rate-limit
 * headers. `now` is the fake's clock for created/updated times.
 */
export async function startFakeGitHub(options: { repo: string; token: string; now: () => number }) {
  const issues: Issue[] = [];
  const html = (n: number) => `https://github.example/${options.repo}/issues/${n}`;
  const view = (i: Issue) => ({
    ...i,
    id: 1000 + i.number,
    html_url: html(i.number),
    url: `${http.origin}/repos/${options.repo}/issues/${i.number}`,
  });
  const limits = () => ({
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(options.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
    "x-github-request-id": `FAKE:${http.requests.length}`,
  });

  const route = (req: TrackerRequest): Answer | undefined => {
    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`)
      return { ...githubError(401, "Bad credentials", {}), headers: limits() };
    const prefix = `/repos/${options.repo}/issues`;
    if (!req.path.startsWith(prefix))
      return { ...githubError(404, "Not Found"), headers: limits() };
    const rest = req.path.slice(prefix.length);
    let answer: Answer | undefined;
    if (rest === "" && req.method === "POST")
      answer = create(req.body as { title?: string; body?: string });
    else if (rest === "" && req.method === "GET") answer = list(req.query);
    else if (/^\/\d+$/.test(rest) && req.method === "GET") {
      const issue = issues.find((i) => i.number === Number(rest.slice(1)));
      answer = issue ? { status: 200, body: view(issue) } : githubError(404, "Not Found");
    }
    return answer && { ...answer, headers: { ...limits(), ...answer.headers } };
  };

  function create(body: { title?: string; body?: string }): Answer {
    if (!body.title)
      return githubError(422, "Validation Failed", {
        errors: [{ resource: "Issue", code: "missing_field", field: "title" }],
      });
    const at = new Date(options.now()).toISOString();
    const issue: Issue = {
      number: issues.length + 1,
      title: body.title,
      body: body.body ?? null,
      state: "open",
      created_at: at,
      updated_at: at,
    };
    issues.push(issue);
    return { status: 201, body: view(issue), headers: { location: html(issue.number) } };
  }

  function list(query: URLSearchParams): Answer {
    const since = query.get("since");
    const perPage = Number(query.get("per_page") ?? 30);
    const page = Number(query.get("page") ?? 1);
    const matching = issues
      .filter((i) => query.get("state") === "all" || i.state === (query.get("state") ?? "open"))
      .filter((i) => !since || Date.parse(i.updated_at) >= Date.parse(since))
      .sort((a, b) => b.number - a.number);
    return { status: 200, body: matching.slice((page - 1) * perPage, page * perPage).map(view) };
  }

  const http = await startTrackerHttp(route);
  return {
    ...http,
    issues,
    close: http.close,
    /** someone closes the issue on GitHub */
    closeIssue(number: number): void {
      const issue = issues.find((i) => i.number === number)!;
      issue.state = "closed";
      issue.updated_at = new Date(options.now()).toISOString();
    },
    /** GitHub's primary rate limit: 403 with remaining 0 and the reset time */
    rateLimit(resetInSeconds: number): void {
      http.fail({
        ...githubError(
          403,
          "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID FAKE.",
        ),
        headers: {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(Math.floor(options.now() / 1000) + resetInSeconds),
          "x-ratelimit-resource": "core",
        },
        times: 1,
      });
    },
  };
}
