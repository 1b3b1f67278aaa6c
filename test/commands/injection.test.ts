import { describe, expect, it } from "vitest";
import { SECTION_TAGS } from "../../src/incidents/sections.ts";
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

/** Every tag a chat message can start with: each section's, and those for actions and entries. */
const TAGS = [...Object.keys(SECTION_TAGS), "action", "todo", "timeline"];

function draftOf(say: ReturnType<typeof testBot>["say"]): string {
  const result = say("/postmortem draft");
  if (result.kind !== "ok" || !result.reply.file) throw new Error("no draft");
  return result.reply.file.content;
}

/** The document keeps exactly its headings, one front matter, no fence, no HTML, no Liquid. */
function expectIntact(markdown: string): void {
  const lines = markdown.split("\n");
  expect(lines.filter((l) => /^ {0,3}#/.test(l))).toEqual(REFERENCE_HEADINGS);
  expect(lines.filter((l) => /^ {0,3}(---|___|\*\*\*)\s*$/.test(l))).toEqual(["---", "---"]);
  expect(lines.slice(0, 5).join("\n")).toMatch(
    /^---\nlayout: post\ntitle: .*\ncategory: incidents\n---$/,
  );
  expect(lines.filter((l) => /^ {0,3}(```|~~~)/.test(l))).toEqual([]);
  expect(markdown).not.toContain("<script");
  expect(markdown).not.toContain("{{");
  expect(markdown).not.toContain("{%");
}

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
    const text = draftOf(say);
    expectIntact(text);
    // the text is still there, escaped invisibly rather than dropped
    expect(text).toContain("&lt;script>alert(1)&lt;/script>");
    expect(text).toContain("- 11:00 \\## Impact");
  });

  it("the corrections cannot break it either: rename, /action edit, /timeline edit", () => {
    const { ok, say } = testBot();
    ok("/incident start Downtime");
    ok(`/incident rename ${NASTY.join(" ")}`);
    NASTY.forEach((text, i) => {
      ok(`/action add placeholder ${i}`);
      ok(`/action edit ${i + 1} x\n${text}\ny --owner @${text.replace(/\s/g, "")}`);
      ok(`/timeline add 11:0${i} placeholder`);
      ok(`/timeline edit ${i + 2} ${text}\n${text}`);
    });
    const text = draftOf(say);
    expectIntact(text);
    // The front matter's title escapes < as \u003C; in the body the new title is escaped text.
    expect(text).toMatch(/^title: "Post-mortem: --- ## Impact # Title \\u003Cscript>/m);
    expect(text).toContain("## Impact # Title &lt;script>alert(1)&lt;/script>");
    expect(text).toContain("&lt;script>alert(1)&lt;/script>");
    expect(text).toContain("@&lt;script>alert(1)&lt;/script>");
  });

  it("tagged messages of every kind cannot break it", () => {
    const { ok, say } = testBot();
    ok("/incident start Downtime");
    for (const tag of TAGS) {
      for (const text of NASTY) {
        const result = say(`${tag}: x\n${text}\n${text}`);
        expect(["section", "action", "timeline"], `${tag}: ${text}`).toContain(
          result.kind === "collected" ? result.applied : result.kind,
        );
      }
    }
    const text = draftOf(say);
    expectIntact(text);
    expect(text.match(/&lt;script>alert\(1\)&lt;\/script>/g)!.length).toBeGreaterThanOrEqual(
      TAGS.length * 2,
    );
  });

  it("what the corrections echo back is the text as typed, never a reading of it", () => {
    const { ok } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem add lucky <script>alert(1)</script>");
    ok("/action add fix");
    expect(ok("/postmortem show lucky")).toBe("1. <script>alert(1)</script>");
    expect(ok("/postmortem remove lucky 1")).toBe(
      "Removed item 1 from lucky of INC-1 (0 left): <script>alert(1)</script>",
    );
    expect(ok("/incident rename {{ site.title }} <b>x</b>")).toBe(
      "INC-1 renamed: Downtime → {{ site.title }} <b>x</b>",
    );
    expect(ok("/action edit 1 `code` *bold* <@U1>")).toBe(
      "Action 1 edited (text): `code` *bold* <@U1>",
    );
  });
});
