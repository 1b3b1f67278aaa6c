import type { TrackerKind } from "../incidents/types.ts";

/** An issue as the exporter needs it: where it is, and whether it is closed. */
export interface TrackerIssue {
  /** what the API addresses it by: GitHub's number, GitLab's iid, Jira's key */
  id: string;
  /** as people write it: `#12`, `OPS-7` */
  ref: string;
  url: string;
  closed: boolean;
}

/** What an issue says about its action item; each tracker renders it in its own markup. */
export interface IssueContent {
  incident: { ref: string; title: string; severity: number | null; status: string };
  /** the incident's room(s), with a link where the platform has one */
  rooms: { label: string; url?: string }[];
  owner: string | null;
  due: string | null;
  /** how to get the post-mortem draft */
  draft: string;
}

export interface NewIssue {
  title: string;
  content: IssueContent;
  /** an id found again by findByMarker: hidden in the body, or a Jira label */
  marker: string;
}

/** The three calls the exporter makes, the same for every tracker. */
export interface Tracker {
  readonly kind: TrackerKind;
  /** "GitHub", "GitLab", "Jira": for the one line the room gets */
  readonly name: string;
  create(issue: NewIssue): Promise<TrackerIssue>;
  /**
   * The issue carrying this marker, if one was filed (a crash after the tracker's answer and
   * before our commit). `since`: when the item was marked pending; nothing older can carry it.
   */
  findByMarker(marker: string, since: number): Promise<TrackerIssue | undefined>;
  issue(id: string): Promise<TrackerIssue>;
}

export const TRACKER_NAMES: Record<TrackerKind, string> = {
  github: "GitHub",
  gitlab: "GitLab",
  jira: "Jira",
};

/** `hindsight:INC-7:action-3:<install id>`: unique across incidents and installations. */
export function issueMarker(incidentId: number, actionNumber: number, installId: string): string {
  return `hindsight:INC-${incidentId}:action-${actionNumber}:${installId}`;
}

/** The marker as an HTML comment: invisible in the rendered issue, kept in its source. */
export const hiddenMarker = (marker: string): string => `<!-- ${marker} -->`;

/** GitHub's and GitLab's body: the link back to the incident, owner and due date, the marker. */
export function issueMarkdown(issue: NewIssue): string {
  const { incident, rooms, owner, due, draft } = issue.content;
  const sev = incident.severity === null ? "" : `, SEV${incident.severity}`;
  const lines = [
    `Follow-up from **${incident.ref}: ${escapeMarkdown(incident.title)}** (${incident.status}${sev}).`,
    "",
    // As code: a chat name is not a tracker login, and `@alice` would notify whoever has it there.
    `- Owner: ${owner === null ? "not set" : `\`${owner.replaceAll("`", "'")}\` (in chat)`}`,
    `- Due: ${due ?? "not set"}`,
    ...rooms.map(
      (r) =>
        `- Room: ${r.url ? `[${escapeMarkdown(r.label)}](${r.url})` : escapeMarkdown(r.label)}`,
    ),
    `- Post-mortem draft: \`${draft}\``,
    "",
    "_Filed by Hindsight. Closing this issue marks the action item done._",
    "",
    hiddenMarker(issue.marker),
  ];
  return lines.join("\n");
}

/** Enough escaping that an incident title cannot open a link, a heading or an HTML tag. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}
