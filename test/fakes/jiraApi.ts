import { type Answer, startTrackerHttp, type TrackerRequest } from "./trackerHttp.ts";

interface Issue {
  id: string;
  key: string;
  summary: string;
  description: unknown;
  labels: string[];
  category: "new" | "indeterminate" | "done";
}

/** Jira's error body: `{errorMessages: [...], errors: {field: message}}`. */
export const jiraError = (
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): Answer => ({ status, body: { errorMessages, errors } });

const STATUS = {
  new: { name: "To Do", statusCategory: { id: 2, key: "new", name: "To Do" } },
  indeterminate: {
    name: "In Progress",
    statusCategory: { id: 4, key: "indeterminate", name: "In Progress" },
  },
  done: { name: "Done", statusCategory: { id: 3, key: "done", name: "Done" } },
};

/**
 * Jira Cloud's REST API v3 (or Data Center's v2) for one project: create an issue, the JQL search
 * (v3: the enhanced `/rest/api/3/search/jql`, v2: `/rest/api/2/search`, understanding `project = "X" AND labels = "y"`), get an issue.
 * Basic auth (`email:token`) or a bearer token; a wrong one gets Jira's 401, which is text.
 */
export async function startFakeJira(options: {
  project: string;
  email: string;
  token: string;
  /** 3: Jira Cloud (ADF descriptions, /search/jql); 2: Data Center (text, /search) */
  api?: 2 | 3;
}) {
  const v = options.api ?? 3;
  const base = `/rest/api/${v}`;
  const issues: Issue[] = [];
  const basic = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString("base64")}`;
  const view = (i: Issue) => ({
    id: i.id,
    key: i.key,
    self: `${http.origin}${base}/issue/${i.id}`,
    fields: { summary: i.summary, labels: i.labels, status: STATUS[i.category] },
  });

  const route = (req: TrackerRequest): Answer | undefined => {
    const auth = req.headers.authorization;
    if (auth !== basic && auth !== `Bearer ${options.token}`)
      return { status: 401, body: "Client must be authenticated to access this resource." };
    if (req.method === "POST" && req.path === `${base}/issue`)
      return create(req.body as CreateBody);
    if (req.method === "GET" && req.path === (v === 3 ? `${base}/search/jql` : `${base}/search`))
      return search(req.query.get("jql") ?? "");
    const m = new RegExp(`^${base}/issue/([^/]+)$`).exec(req.path);
    if (req.method === "GET" && m) {
      const issue = issues.find((i) => i.key === m[1] || i.id === m[1]);
      return issue
        ? { status: 200, body: view(issue) }
        : jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
    }
    return undefined;
  };

  interface CreateBody {
    fields?: {
      project?: { key?: string };
      summary?: string;
      description?: unknown;
      labels?: string[];
      issuetype?: { name?: string };
    };
  }

  function create(body: CreateBody): Answer {
    const f = body.fields ?? {};
    const errors: Record<string, string> = {};
    if (f.project?.key !== options.project) errors.project = "valid project is required";
    if (!f.summary) errors.summary = "You must specify a summary of the issue.";
    if (f.issuetype?.name !== "Task") errors.issuetype = "Specify a valid issue type";
    // Cloud's v3 takes only Atlassian Document Format; Data Center's v2 only text.
    if (f.description !== undefined && (typeof f.description === "string") !== (v === 2))
      errors.description = "Operation value must be a string";
    if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
    const n = issues.length + 1;
    const issue: Issue = {
      id: String(10000 + n),
      key: `${options.project}-${n}`,
      summary: f.summary!,
      description: f.description,
      labels: f.labels ?? [],
      category: "new",
    };
    issues.push(issue);
    return {
      status: 201,
      body: { id: issue.id, key: issue.key, self: `${http.origin}${base}/issue/${issue.id}` },
    };
  }

  function search(jql: string): Answer {
    const project = /project\s*=\s*"?([^"\s]+)"?/.exec(jql)?.[1];
    const label = /labels\s*=\s*"([^"]+)"/.exec(jql)?.[1];
    if (project !== options.project)
      return jiraError(400, [`The value '${project}' does not exist for the field 'project'.`]);
    const found = issues.filter((i) => !label || i.labels.includes(label));
    return { status: 200, body: { issues: found.map(view), isLast: true } };
  }

  const http = await startTrackerHttp(route);
  return {
    ...http,
    issues,
    /** someone moves the issue to a status of the Done category */
    resolve(key: string): void {
      issues.find((i) => i.key === key)!.category = "done";
    },
    /** Jira Cloud's rate limit: 429 with Retry-After (seconds) and X-RateLimit-Reset (ISO) */
    rateLimit(retryAfterSeconds: number, now: number): void {
      http.fail({
        status: 429,
        body: { errorMessages: ["Rate limit exceeded."], errors: {} },
        headers: {
          "retry-after": String(retryAfterSeconds),
          "x-ratelimit-limit": "100",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": new Date(now + retryAfterSeconds * 1000).toISOString(),
          "ratelimit-reason": "jira-quota-based",
        },
        times: 1,
      });
    },
  };
}
