/** Post-mortem sections users can write to, in the order the default template shows them. */
export const SECTIONS = [
  "summary",
  "impact",
  "root-causes",
  "trigger",
  "detection",
  "resolution",
  "lessons",
  "went-well",
  "went-wrong",
  "lucky",
] as const;

export type SectionName = (typeof SECTIONS)[number];

/** Headings of the reference post-mortem; `summary` is the intro paragraph and has none. */
export const SECTION_HEADINGS: Record<Exclude<SectionName, "summary">, string> = {
  impact: "Impact",
  "root-causes": "Root Causes",
  trigger: "Trigger",
  detection: "Detection",
  resolution: "Resolution",
  lessons: "Lessons learned",
  "went-well": "What Went Well?",
  "went-wrong": "What Went Wrong?",
  lucky: "Where We Got Lucky",
};

/** Tags that file a plain chat message into a section (`impact: users saw 502s`). */
export const SECTION_TAGS: Record<string, SectionName> = {
  summary: "summary",
  impact: "impact",
  "root cause": "root-causes",
  "root causes": "root-causes",
  trigger: "trigger",
  detection: "detection",
  resolution: "resolution",
  lesson: "lessons",
  lessons: "lessons",
  "went well": "went-well",
  "went wrong": "went-wrong",
  lucky: "lucky",
};

export function isSectionName(value: string): value is SectionName {
  return (SECTIONS as readonly string[]).includes(value);
}

/** An item of a section: `set` stores one paragraph, `add` and tagged messages append bullets. */
export type SectionItemKind = "paragraph" | "bullet";
