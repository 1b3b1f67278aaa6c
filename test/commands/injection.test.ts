import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";
import { REFERENCE_HEADINGS } from "../reference.ts";

const NASTY = [
  "---",
  "## Impact",
  "# Title",
  "<script>alert(1)</script>",
  "```",
  "~~~",
  "- item",
  "1. item",
  "> quote",
  "{{ site.title }} {% include x %}",
];

describe("user text cannot break the draft", () => {
  it("keeps exactly the document's headings and one front matter, whatever users type", () => {
    const { ok, say } = testBot();
    ok(`/incident start ${'"quoted" \\ title <b>'} --sev 2`);
    for (const text of NASTY) {
      ok(`/postmortem set impact x\n${text}\ny`);
      ok(`/postmortem add lessons ${text}`);
      ok(`/timeline add 11:00 ${text}`);
      ok(`/action add ${text}`);
      say(`went wrong: ${text}\n${text}`);
    }
    ok(`/postmortem set summary ${NASTY.join("\n")}`);
    const result = say("/postmortem draft");
    if (result.kind !== "ok" || !result.reply.file) throw new Error("no draft");
    const lines = result.reply.file.content.split("\n");
    expect(lines.filter((l) => /^ {0,3}#/.test(l))).toEqual(REFERENCE_HEADINGS);
    expect(lines.filter((l) => /^ {0,3}(---|___|\*\*\*)\s*$/.test(l))).toEqual(["---", "---"]);
    expect(lines.slice(0, 5).join("\n")).toMatch(
      /^---\nlayout: post\ntitle: .*\ncategory: incidents\n---$/,
    );
    expect(lines.filter((l) => /^ {0,3}(```|~~~)/.test(l))).toEqual([]);
    const text = result.reply.file.content;
    // the text is still there, escaped invisibly rather than dropped
    expect(text).toContain("&lt;script>alert(1)&lt;/script>");
    expect(text).toContain("- 11:00 \\## Impact");
    expect(text).not.toContain("<script");
    expect(text).not.toContain("{{");
    expect(text).not.toContain("{%");
  });
});
