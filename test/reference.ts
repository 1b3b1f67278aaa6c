import { readFileSync } from "node:fs";

/** The published post-mortem whose structure is our default output (../shared/reference/). */
export const REFERENCE_MARKDOWN = readFileSync(
  new URL("../../shared/reference/2023-02-24-post-mortem.md", import.meta.url),
  "utf8",
);

/** Its `## ` headings, in order, read from the file itself so no test can drift from it. */
export const REFERENCE_HEADINGS = headings(REFERENCE_MARKDOWN);

export function headings(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("## "))
    .map((line) => line.trimEnd());
}
