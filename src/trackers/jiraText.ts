import type { IssueContent } from "./tracker.ts";

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

/** Jira Data Center's description: wiki markup (its REST API v2 takes no ADF). */
export function jiraWikiDescription(content: IssueContent): string {
  const { incident, rooms, owner, due, draft } = content;
  const sev = incident.severity === null ? "" : `, SEV${incident.severity}`;
  return [
    `Follow-up from ${incident.ref}: ${wiki(incident.title)} (${incident.status}${sev}).`,
    "",
    `* Owner: ${owner === null ? "not set" : wiki(owner)}`,
    `* Due: ${due ?? "not set"}`,
    ...rooms.map((r) => `* Room: ${r.url ? `[${wiki(r.label)}|${r.url}]` : wiki(r.label)}`),
    `* Post-mortem draft: ${wiki(draft)}`,
    "",
    "Filed by Hindsight. Resolving this issue marks the action item done.",
  ].join("\n");
}

/** Wiki markup's own characters, escaped so a title cannot open a link, macro or table. */
const wiki = (t: string): string => t.replace(/[[\]{}|*_!^~+\\]/g, (c) => `\\${c}`);
