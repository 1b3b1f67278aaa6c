import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { incidentChannelName } from "../../../src/adapters/slack/channelName.ts";
import { SLASH_COMMANDS } from "../../../src/adapters/slack/commands.ts";
import {
  escapeSlack,
  fromSlackText,
  markdownChunks,
  renderReply,
} from "../../../src/adapters/slack/text.ts";

describe("Slack text", () => {
  it("escapes only &, < and > in what it sends", () => {
    expect(escapeSlack("a & b <script> *bold* @here")).toBe(
      "a &amp; b &lt;script&gt; *bold* @here",
    );
    expect(renderReply({ title: "INC-1: <x>", text: "• 1 & 2" })).toBe(
      "*INC-1: &lt;x&gt;*\n• 1 &amp; 2",
    );
  });

  it("reads what people typed back out of Slack's markup, keeping mentions for the core", () => {
    expect(fromSlackText("a &amp; b &lt;b&gt; c")).toBe("a & b <b> c");
    expect(fromSlackText("see <https://status.example.org>")).toBe(
      "see https://status.example.org",
    );
    expect(fromSlackText("see <http://example.org|example.org>")).toBe("see example.org");
    expect(fromSlackText("<https://x.io/a|the runbook>")).toBe("the runbook (https://x.io/a)");
    expect(fromSlackText("ask in <#C123|ops> <!here>")).toBe("ask in #ops @here");
    expect(fromSlackText("owner <@U1|alice>")).toBe("owner <@U1|alice>");
    expect(fromSlackText("paged <!subteam^S0123|@oncall> at <!date^1677146700^{time}|10:05>")).toBe(
      "paged @oncall at 10:05",
    );
    expect(fromSlackText("see <#C123> and <#C456|>")).toBe("see #C123 and #C456");
    expect(fromSlackText("cc <!subteam^S0456>")).toBe("cc @S0456");
    expect(fromSlackText("ping <@U2>", (id) => (id === "U2" ? "bob" : undefined))).toBe(
      "ping <@U2|bob>",
    );
  });

  it("splits a long draft into pieces of whole lines that add up to the document exactly", () => {
    const markdown = Array.from(
      { length: 400 },
      (_, i) => `- 10:${i % 60} line ${i} \`\`\`x & <b>`,
    ).join("\n");
    const chunks = markdownChunks(markdown, 1000);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1000);
    // nothing escaped, nothing inserted: what people copy is the draft
    expect(chunks.join("\n")).toBe(markdown);
    expect(markdownChunks("x".repeat(2500), 1000)).toEqual([
      "x".repeat(1000),
      "x".repeat(1000),
      "x".repeat(500),
    ]);
  });
});

describe("incident channel names", () => {
  it("are inc-<n>-<slug>, lowercase, valid and at most 80 characters", () => {
    expect(incidentChannelName(7, "Certificate errors on OBS!")).toBe(
      "inc-7-certificate-errors-on-obs",
    );
    expect(incidentChannelName(8, "Ärger mit DNS — Zürich")).toBe("inc-8-arger-mit-dns-zurich");
    expect(incidentChannelName(9, "🔥🔥")).toBe("inc-9");
    const long = incidentChannelName(12345, "x".repeat(200));
    expect(long.length).toBeLessThanOrEqual(77); // leaves room for a "-2" collision suffix
    expect(long).toMatch(/^[a-z0-9-]+$/);
  });
});

describe("slack/manifest.yml", () => {
  it("registers exactly the slash commands the adapter listens for, with escaped mentions", () => {
    const manifest = readFileSync(new URL("../../../slack/manifest.yml", import.meta.url), "utf8");
    const commands = [...manifest.matchAll(/- command: (\S+)/g)].map((m) => m[1]);
    expect(commands).toEqual([...SLASH_COMMANDS]);
    expect(manifest.match(/should_escape: true/g)).toHaveLength(SLASH_COMMANDS.length);
  });
});
