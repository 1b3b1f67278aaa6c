import { describe, expect, it } from "vitest";
import type { DraftData, DraftSectionItem } from "../../src/incidents/draftData.ts";
import { SECTION_TAGS, SECTIONS } from "../../src/incidents/sections.ts";
import { renderDraft } from "../../src/postmortem/render.ts";
import { testBot } from "../harness.ts";
import { at, headingLines, REFERENCE_HEADINGS, referenceIncident } from "./referenceIncident.ts";

/** Text that would break the document if it were pasted in unescaped. */
const NASTY = [
  "---",
  "## Impact",
  "# x",
  "<script>alert(1)</script>",
  "```",
  "~~~",
  "- item",
  "1. item",
  "> quote",
  "{{ site.title }}",
  "{% include x %}",
  '"quoted" \\ backslash',
  "***",
  "===",
  "text above\n---",
  "   ### indented heading",
  "<!-- open comment",
  "{::comment}",
  "[ref]: https://example.com",
];
const EVERYTHING = NASTY.join("\n");
const WITH_CRLF = NASTY.join("\r\n");
const WITH_LONE_CR = NASTY.join("\r");

function hostileIncident(): DraftData {
  const data = referenceIncident();
  data.incident.title = `Downtime ${EVERYTHING}`;
  data.incident.roles = { commander: "<b>{{ x }}</b>\n# boss" };
  for (const name of SECTIONS) {
    const items: DraftSectionItem[] = [
      { kind: "paragraph", text: EVERYTHING },
      { kind: "bullet", text: WITH_CRLF },
      { kind: "bullet", text: WITH_LONE_CR },
      ...NASTY.map((text) => ({ kind: "paragraph" as const, text })),
      ...NASTY.map((text) => ({ kind: "bullet" as const, text })),
    ];
    data.sections[name] = items;
  }
  data.actions = [
    { number: 1, text: EVERYTHING, done: true, owner: null, due: null },
    { number: 2, text: WITH_CRLF, done: false, owner: "## owner\n---", due: "2023-03-01" },
    ...NASTY.map((text, i) => ({ number: i + 3, text, done: false, owner: text, due: null })),
  ];
  data.timeline = [
    ...NASTY.map((text, i) => ({ at: at("10:00") + i * 60_000, text, kind: "note" as const })),
    { at: at("10:30"), text: EVERYTHING, kind: "pin" },
    { at: at("10:31"), text: WITH_CRLF, kind: "tag" },
    { at: at("10:32"), text: `a\u0000b\u0007c\u001bd\u0085e`, kind: "note" },
  ];
  return data;
}

function section(markdown: string, heading: string): string {
  const rest = markdown.slice(markdown.indexOf(`\n${heading}\n`) + heading.length + 2);
  return rest.slice(0, rest.indexOf("\n## ")).trim();
}

describe("user text cannot break the draft", () => {
  const draft = renderDraft(hostileIncident());
  const lines = draft.split("\n");

  it("keeps exactly the expected headings", () => {
    expect(headingLines(draft)).toEqual(REFERENCE_HEADINGS);
    // Setext headings: a line of only `=` or `-` under a paragraph line.
    expect(lines.filter((line) => /^ {0,3}(=+|-+)\s*$/.test(line))).toEqual(["---", "---"]);
  });

  it("has one front-matter block with a quoted single-line title", () => {
    expect(lines[0]).toBe("---");
    expect(lines[4]).toBe("---");
    expect(lines.filter((line) => line.startsWith("---"))).toHaveLength(2);
    expect(lines[1]).toBe("layout: post");
    expect(lines[2]).toMatch(/^title: "Post-mortem: Downtime .* on February 23, 2023"$/);
    expect(lines[2]).toContain('\\"quoted\\" \\\\ backslash');
    expect(lines[3]).toBe("category: deployments");
  });

  it("leaves no HTML, no Liquid and no kramdown extension", () => {
    expect(draft).not.toMatch(/<script/i);
    expect(draft).not.toMatch(/<[a-z!/]/i);
    expect(draft).not.toContain("{{");
    expect(draft).not.toContain("{%");
    expect(draft).not.toContain("{:");
    expect(draft).toContain("&lt;script>alert(1)&lt;/script>");
    expect(draft).toContain("&#123;&#123; site.title }}");
    expect(draft).toContain("&#123;% include x %}");
  });

  it("opens no code block, block quote or stray list from user text", () => {
    const blockStart = /^ {0,5}(```|~~~|>|[*+] |\d+[.)] |\[[^\]]*\]:)/;
    expect(lines.filter((line) => blockStart.test(line))).toEqual([]);
    // Our own list items start at the margin; the only `- ` lines indented are none at all.
    expect(lines.filter((line) => /^ +- /.test(line))).toEqual([]);
  });

  it("keeps each multi-line bullet, action and timeline entry inside its list item", () => {
    const blocks = draft.slice(draft.indexOf("## Timeline")).trimEnd().split("\n\n");
    expect(blocks).toHaveLength(4); // heading, milestones, durations, one list without blank lines
    const list = blocks[3]!.split("\n");
    expect(list.filter((line) => line.startsWith("- "))).toHaveLength(NASTY.length + 3);
    expect(list.filter((line) => !line.startsWith("- ") && !line.startsWith("  "))).toEqual([]);
    const actions = section(draft, "## Action items").split("\n");
    expect(actions.filter((line) => line.startsWith("- ["))).toHaveLength(NASTY.length + 2);
    expect(actions.filter((line) => !line.startsWith("- [") && !line.startsWith("  "))).toEqual([]);
  });

  it("keeps harmless text as typed and removes control characters", () => {
    expect(draft).toContain("- 10:06 \\- item\n");
    expect(draft).toContain("- 10:07 1\\. item\n");
    expect(draft).toContain('- 10:11 "quoted" \\ backslash\n');
    expect(draft).toContain("- 10:32 abcde\n");
    expect(draft).not.toContain("\r");
  });
});

describe("the same hostile text typed through chat, by every command and tag that stores text", () => {
  const bot = testBot();
  bot.ok("/incident start Downtime");
  // A title is one line of at most 200 characters: as much of the hostile list as fits.
  bot.ok(`/incident rename ${NASTY.join(" ").replace(/\s+/g, " ").slice(0, 200)}`);
  const texts = [EVERYTHING, WITH_CRLF, WITH_LONE_CR, ...NASTY];
  texts.forEach((text, i) => {
    bot.ok(`/postmortem add lessons ${text}`);
    bot.ok(`/postmortem set summary ${text}`);
    bot.ok(`/timeline add 11:00 placeholder ${i}`);
    bot.ok(`/timeline edit ${i + 2} 11:01 ${text}`);
    bot.ok(`/action add placeholder ${i}`);
    bot.ok(`/action edit ${i + 1} ${text} --owner @${text.replace(/\s/g, "")} --due +3d`);
    for (const tag of [...Object.keys(SECTION_TAGS), "action", "todo", "timeline"])
      bot.say(`${tag}: ${text}`);
  });
  bot.ok("/postmortem remove lessons 1");
  const result = bot.say("/postmortem draft");
  const draft = result.kind === "ok" ? (result.reply.file?.content ?? "") : "";
  const lines = draft.split("\n");

  it("keeps exactly the expected headings and one front matter", () => {
    expect(headingLines(draft)).toEqual(REFERENCE_HEADINGS);
    expect(lines.filter((line) => /^ {0,3}(=+|-+)\s*$/.test(line))).toEqual(["---", "---"]);
    expect(lines[2]).toMatch(/^title: "Post-mortem: .* on February 23, 2023"$/);
  });

  it("leaves no HTML, no Liquid, no kramdown extension, no block from user text", () => {
    expect(draft).not.toMatch(/<[a-z!/]/i);
    expect(draft).not.toContain("{{");
    expect(draft).not.toContain("{%");
    expect(draft).not.toContain("{:");
    expect(draft).not.toContain("\r");
    const blockStart = /^ {0,5}(```|~~~|>|[*+] |\d+[.)] |\[[^\]]*\]:)/;
    expect(lines.filter((line) => blockStart.test(line))).toEqual([]);
    expect(lines.filter((line) => /^ +- /.test(line))).toEqual([]);
  });

  it("keeps every tagged item, action and entry inside its own list item", () => {
    const actions = section(draft, "## Action items").split("\n");
    // each text: one edited placeholder, one action: and one todo: item
    expect(actions.filter((line) => line.startsWith("- ["))).toHaveLength(texts.length * 3);
    expect(actions.filter((line) => !line.startsWith("- [") && !line.startsWith("  "))).toEqual([]);
    const impact = section(draft, "## Impact").split("\n");
    expect(impact.filter((line) => line.startsWith("- "))).toHaveLength(texts.length);
    expect(impact.filter((line) => !line.startsWith("- ") && !line.startsWith("  "))).toEqual([]);
  });
});
