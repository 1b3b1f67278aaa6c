import { textProblem } from "./limits.ts";
import { SECTION_TAGS, type SectionName } from "./sections.ts";

export type Tag =
  | { kind: "section"; section: SectionName; text: string }
  | { kind: "action"; text: string }
  | { kind: "timeline"; text: string };

const NAMES = [...Object.keys(SECTION_TAGS), "action", "todo", "timeline"]
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(" ", "[ _-]?"));
// "Root cause: …", "went well - …" is not a tag: only a colon makes one.
const TAG = new RegExp(`^\\s*(${NAMES.join("|")})\\s*:\\s*([\\s\\S]*\\S)\\s*$`, "i");

/** Reads a section tag at the start of a chat message (`impact: users saw 502s`). */
export function parseTag(message: string): Tag | undefined {
  const match = TAG.exec(message);
  if (!match) return undefined;
  const name = match[1]!.toLowerCase().replace(/[ _-]+/, " ");
  const text = match[2]!;
  if (name === "action" || name === "todo") return { kind: "action", text };
  if (name === "timeline") return { kind: "timeline", text };
  const section = SECTION_TAGS[name];
  return section ? { kind: "section", section, text } : undefined;
}

/** The command a tag stands for: a tagged message obeys that command's limits. */
const STANDS_FOR: Record<Tag["kind"], string> = {
  section: "/postmortem add",
  action: "/action add",
  timeline: "/timeline add",
};

/**
 * Why a tagged message cannot be filed, as one line for its author, or undefined when it can.
 * The message itself is still collected; only the section item, action or entry is refused.
 */
export function tagProblem(tag: Tag): string | undefined {
  const problem = textProblem(tag.text, "text");
  if (!problem) return undefined;
  const where =
    tag.kind === "section" ? tag.section : tag.kind === "action" ? "action items" : "the timeline";
  return `not filed under ${where}: ${problem}, as ${STANDS_FOR[tag.kind]} would refuse it`;
}
