import { readFileSync } from "node:fs";

/**
 * The published post-mortem whose structure is our default output. A copy lives in the repo so
 * the suite runs from any clone; test/docs/reference.test.ts checks it against shared/reference.
 */
export const REFERENCE_FILE = new URL("./fixtures/reference-post-mortem.md", import.meta.url);
export const REFERENCE_MARKDOWN = readFileSync(REFERENCE_FILE, "utf8");

/** Its `## ` headings, in order, read from the file itself so no test can drift from it. */
export const REFERENCE_HEADINGS = headings(REFERENCE_MARKDOWN);

export function headings(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("## "))
    .map((line) => line.trimEnd());
}
