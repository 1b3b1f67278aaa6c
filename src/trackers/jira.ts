import { type Config, Version2Client, Version3Client } from "jira.js";
import { type CallOptions, call, headerRecord } from "./call.ts";
import { jiraDescription, jiraWikiDescription } from "./jiraText.ts";
import type { NewIssue, Tracker, TrackerIssue } from "./tracker.ts";
import type { HttpFailure } from "./trackerError.ts";

export interface JiraSettings {
  /** the site: https://your-team.atlassian.net, or a Data Center base URL */
  url: string;
  /** the project key: OPS */
  project: string;
  /**
   * `email:api-token`: Jira Cloud (basic auth, REST API v3); anything else is a Data Center or
   * Server personal access token (bearer, REST API v2, which Data Center still speaks).
   */
  token: string;
}

interface JiraIssue {
  key: string;
  fields?: { status?: { statusCategory?: { key?: string } } };
}

/**
 * Jira has no HTML comments in its fields, so the marker is a label: JQL finds labels exactly
 * (text search `~` stems and splits words). Labels allow no spaces or colons.
 */
export const jiraLabel = (marker: string): string => marker.replaceAll(":", "-");

/** jira.js wraps axios errors in HttpException; the axios error keeps the response. */
function failureOf(error: unknown): HttpFailure | undefined {
  const e = error as {
    cause?: {
      response?: { status?: unknown; statusText?: string; headers?: unknown; data?: unknown };
    };
  };
  const response = e?.cause?.response;
  if (typeof response?.status !== "number") return undefined;
  return {
    status: response.status,
    ...(response.statusText ? { statusText: response.statusText } : {}),
    headers: headerRecord(response.headers),
    body: response.data,
  };
}

interface BaseFields {
  project: { key: string };
  issuetype: { name: string };
  summary: string;
  labels: string[];
}

/** The three calls, over REST API v3 (Cloud) or v2 (Data Center); they differ in body and search. */
interface JiraApi {
  create(fields: BaseFields, issue: NewIssue): Promise<string>;
  search(jql: string): Promise<JiraIssue[]>;
  get(key: string): Promise<JiraIssue>;
}

const cloudApi = (client: Version3Client): JiraApi => ({
  create: async (fields, issue) =>
    (
      await client.issues.createIssue({
        fields: { ...fields, description: jiraDescription(issue.content) },
      })
    ).key,
  // The enhanced search: Cloud retired /rest/api/3/search.
  search: async (jql) =>
    ((
      await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
        jql,
        fields: ["status"],
        maxResults: 1,
      })
    ).issues ?? []) as JiraIssue[],
  get: async (key) =>
    (await client.issues.getIssue({
      issueIdOrKey: key,
      fields: ["status"],
    })) as unknown as JiraIssue,
});

const dataCenterApi = (client: Version2Client): JiraApi => ({
  create: async (fields, issue) =>
    (
      await client.issues.createIssue({
        fields: { ...fields, description: jiraWikiDescription(issue.content) },
      })
    ).key,
  search: async (jql) =>
    ((await client.issueSearch.searchForIssuesUsingJql({ jql, fields: ["status"], maxResults: 1 }))
      .issues ?? []) as JiraIssue[],
  get: async (key) =>
    (await client.issues.getIssue({
      issueIdOrKey: key,
      fields: ["status"],
    })) as unknown as JiraIssue,
});

export function jiraTracker(settings: JiraSettings, options: CallOptions): Tracker {
  const host = settings.url.replace(/\/+$/, "");
  const basic = /^([^:\s]+@[^:\s]+):(.+)$/.exec(settings.token);
  // With a host and only an access token, jira.js sends it as a bearer token to that host
  // (no OAuth discovery through Atlassian's gateway).
  const config = (signal: AbortSignal): Config =>
    basic
      ? {
          host,
          authentication: { basic: { email: basic[1]!, apiToken: basic[2]! } },
          baseRequestConfig: { signal },
        }
      : {
          host,
          authentication: { oauth2: { accessToken: settings.token } },
          baseRequestConfig: { signal },
        };
  const name = "Jira";
  // One client per request: jira.js takes the axios config (and so the signal) at construction.
  const run = <T>(request: (api: JiraApi) => Promise<T>) =>
    call(name, options, failureOf, (signal) =>
      request(
        basic
          ? cloudApi(new Version3Client(config(signal)))
          : dataCenterApi(new Version2Client(config(signal))),
      ),
    );
  const toIssue = (i: JiraIssue): TrackerIssue => ({
    id: i.key,
    ref: i.key,
    url: `${host}/browse/${i.key}`,
    closed: i.fields?.status?.statusCategory?.key === "done",
  });

  return {
    kind: "jira",
    name,
    async create(issue: NewIssue) {
      const key = await run((api) =>
        api.create(
          {
            project: { key: settings.project },
            issuetype: { name: "Task" },
            summary: issue.title,
            labels: ["hindsight", jiraLabel(issue.marker)],
          },
          issue,
        ),
      );
      return toIssue({ key });
    },
    async findByMarker(marker) {
      const jql = `project = "${settings.project}" AND labels = "${jiraLabel(marker)}"`;
      const [hit] = await run((api) => api.search(jql));
      return hit && toIssue(hit);
    },
    async issue(id) {
      return toIssue(await run((api) => api.get(id)));
    },
  };
}
