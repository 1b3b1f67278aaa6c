import { closest, distance } from "fastest-levenshtein";
import { tokenize } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import {
  isSectionName,
  SECTION_HEADINGS,
  SECTIONS,
  type SectionName,
} from "../src/incidents/sections.ts";

const ALIASES: Record<string, SectionName> = {
  intro: "summary",
  "root-cause": "root-causes",
  rootcause: "root-causes",
  rootcauses: "root-causes",
  lesson: "lessons",
  "lessons-learned": "lessons",
  "what-went-well": "went-well",
  "what-went-wrong": "went-wrong",
  "where-we-got-lucky": "lucky",
  "got-lucky": "lucky",
  luck: "lucky",
};

/** The longest section name people type as words: "where we got lucky". */
const MOST_WORDS = 4;

/**
 * `<section> <text>`: a section name and the rest verbatim. The name may be quoted (straight or
 * typographic quotes), spaced as the draft's headings are (`root causes`, `went well`, `What
 * Went Well?`) or hyphenated; a single word that is a section wins, so `lessons learned the hard
 * way` files "learned the hard way" under lessons.
 */
export function takeSection(text: string): { section: SectionName; rest: string } {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (first === undefined) {
    throw new UserError(`section is missing: one of ${SECTIONS.join(", ")}`);
  }
  const rest = (end: number) => text.slice(end).replace(/^\s+/, "");
  const quoted = first.value !== text.slice(first.start, first.end);
  if (quoted) {
    const section = sectionNamed(first.value);
    if (section) return { section, rest: rest(first.end) };
    throw unknown(first.value);
  }
  for (let words = 1; words <= Math.min(MOST_WORDS, tokens.length); words++) {
    const last = tokens[words - 1]!;
    // Stop at a quoted token: it is text ("impact "users saw 502s"").
    if (last.value !== text.slice(last.start, last.end)) break;
    const section = sectionNamed(text.slice(first.start, last.end));
    if (section) return { section, rest: rest(last.end) };
  }
  throw unknown(first.value);
}

function sectionNamed(typed: string): SectionName | undefined {
  const key = typed
    .trim()
    .toLowerCase()
    .replace(/[:?]+$/, "")
    .replace(/[\s_]+/g, "-");
  if (isSectionName(key)) return key;
  if (Object.hasOwn(ALIASES, key)) return ALIASES[key];
  return HEADINGS.get(key);
}

/** The draft's own headings, as keys: "what-went-well" → went-well. */
const HEADINGS = new Map<string, SectionName>(
  Object.entries(SECTION_HEADINGS).map(([section, heading]) => [
    heading
      .toLowerCase()
      .replace(/[:?]+$/, "")
      .replace(/\s+/g, "-"),
    section as SectionName,
  ]),
);

function unknown(typed: string): UserError {
  const key = typed
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[:?]+$/, "");
  const guess = closest(key, [...SECTIONS]);
  const hint = distance(guess, key) <= 3 ? ` Did you mean ${guess}?` : "";
  return new UserError(
    `unknown section "${typed.slice(0, 40)}".${hint} Sections: ${SECTIONS.join(", ")}`,
  );
}
