import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REFERENCE_MARKDOWN } from "../reference.ts";

// Beside the repository in the team's workspace; absent in a plain clone elsewhere.
const SHARED = new URL("../../../shared/reference/2023-02-24-post-mortem.md", import.meta.url);

describe("the reference post-mortem fixture", () => {
  it.skipIf(!existsSync(SHARED))("is the same as the shared original", () => {
    expect(REFERENCE_MARKDOWN).toBe(readFileSync(SHARED, "utf8"));
  });

  it("has the shape the default template reproduces", () => {
    expect(REFERENCE_MARKDOWN).toContain('title: "Post-mortem: Downtime on February 23, 2023"');
    expect(REFERENCE_MARKDOWN.match(/^## /gm)).toHaveLength(11);
  });
});
