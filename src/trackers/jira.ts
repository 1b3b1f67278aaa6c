import { type Config, Version3Client } from "jira.js";
import { type CallOptions, call, headerRecord } from "./call.ts";
import type { IssueContent, NewIssue, Tracker, TrackerIssue } from "./tracker.ts";
import type { HttpFailure } from "./trackerError.ts";

export interface JiraSettings {
  /** the site: https://your-team.atlassian.net, or a Data Center base URL */
  url: string;
  /** the project key: OPS */
  project: string;
  /** `email:api-token` (Jira Cloud, basic auth) or a personal access token (bearer) */
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

const text = (t: string, href?: string) => ({
  type: "text",
  text: t,
  ...(href ? { marks: [{ type: "link", attrs: { href } }] } : {}),
});
const paragraph = (...content: ReturnType<typeof text>[]) => ({ type: "paragraph", content });

/** The description in Atlassian Document Format (REST API v3 takes no Markdown). */
export function jiraDescription(content: IssueContent) {
  const { incident, rooms, owner, due, draft } = content;
  const sev = incident.severity === null ? "" : `, SEV${incident.severity}`;
  const item = (label: string, value: string, href?: string) => ({
    type: "listItem",
    content: [paragraph(text(`${label}: `), text(value, href))],
  });
  return {
    type: "doc" as const,
    version: 1 as const,
    content: [
      paragraph(
        text(`Follow-up from ${incident.ref}: ${incident.title} (${incident.status}${sev}).`),
      ),
      {
        type: "bulletList",
        content: [
          item("Owner", owner ?? "not set"),
          item("Due", due ?? "not set"),
          ...rooms.map((r) => item("Room", r.label, r.url)),
          item("Post-mortem draft", draft),
        ],
      },
      paragraph(text("Filed by Hindsight. Resolving this issue marks the action item done.")),
    ],
  };
}

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
  const run = <T>(request: (client: Version3Client) => Promise<T>) =>
    call(name, options, failureOf, (signal) => request(new Version3Client(config(signal))));
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
      const created = await run((client) =>
        client.issues.createIssue({
          fields: {
            project: { key: settings.project },
            issuetype: { name: "Task" },
            summary: issue.title,
            description: jiraDescription(issue.content),
            labels: ["hindsight", jiraLabel(issue.marker)],
          },
        }),
      );
      return toIssue({ key: created.key });
    },
    async findByMarker(marker) {
      const found = await run((client) =>
        client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql: `project = "${settings.project}" AND labels = "${jiraLabel(marker)}"`,
          fields: ["status"],
          maxResults: 1,
        }),
      );
      const hit = (found.issues ?? [])[0] as JiraIssue | undefined;
      return hit && toIssue(hit);
    },
    async issue(id) {
      const shown = await run((client) =>
        client.issues.getIssue({ issueIdOrKey: id, fields: ["status"] }),
      );
      return toIssue(shown as unknown as JiraIssue);
    },
  };
}
