import { closest, distance } from "fastest-levenshtein";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { isSectionName, SECTIONS, type SectionName } from "../src/incidents/sections.ts";

const ALIASES: Record<string, SectionName> = {
  intro: "summary",
  "root-cause": "root-causes",
  rootcause: "root-causes",
  "root-causes": "root-causes",
  lesson: "lessons",
  "lessons-learned": "lessons",
  "what-went-well": "went-well",
  "what-went-wrong": "went-wrong",
  luck: "lucky",
};

/** `<section> <text>`: a section name (with a few forgiving aliases) and the rest verbatim. */
export function takeSection(text: string): { section: SectionName; rest: string } {
  const { word, rest } = takeWord(text);
  if (word === undefined) throw new UserError(`section is missing: one of ${SECTIONS.join(", ")}`);
  const key = word.toLowerCase().replace(/_/g, "-").replace(/:$/, "");
  const section = isSectionName(key) ? key : ALIASES[key];
  if (section) return { section, rest };
  const guess = closest(key, [...SECTIONS]);
  const hint = distance(guess, key) <= 3 ? ` Did you mean ${guess}?` : "";
  throw new UserError(`unknown section "${word}".${hint} Sections: ${SECTIONS.join(", ")}`);
}
