import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { testBot } from "../harness.ts";
import { REFERENCE_HEADINGS } from "../reference.ts";

/** The Markdown of `/postmortem draft`. */
function draftOf(bot: ReturnType<typeof testBot>): string {
  const result = bot.say("/postmortem draft");
  if (result.kind !== "ok" || !result.reply.file) throw new Error("no draft");
  return result.reply.file.content;
}

const timelineLines = (md: string) => md.split("\n").filter((l) => /^- \d\d:\d\d /.test(l));

/** A terminal session: the actor's name is the OS account. */
const terminal = { id: "root", name: "root", osAccount: true };

describe("the draft's content", () => {
  function writeUp(settings = {}) {
    const bot = testBot({ now: "2026-11-24T09:00:00Z", settings });
    bot.ok('/incident start Downtime --sev 2 --at "2023-02-23 10:00 UTC"');
    bot.ok("/incident role commander <@U1|adrian> --at 10:02");
    bot.ok("/incident role comms @bea --at 10:03");
    bot.ok("/incident mark detected 10:05 alert fired");
    bot.ok("/incident status identified --at 10:10");
    bot.ok("/incident status monitoring --at 10:20");
    bot.ok("/incident resolve --at 10:25");
    bot.ok("/action add Fix the Salt profile --owner @adrian --due 2023-03-01");
    bot.ok("/action done 1");
    return bot;
  }

  it("names the roles, keeps done items' owner and due date, shows milestones and durations", () => {
    const md = draftOf(writeUp());
    expect(md).toContain("\n_Commander: @adrian · comms: @bea_\n");
    expect(md).toContain("- [x] Fix the Salt profile (@adrian, due 2023-03-01)");
    expect(md).toContain(
      "_Milestones (UTC): declared 10:00 · impact started 10:00 · detected 10:05 · identified 10:10 · mitigated 10:20 · impact ended 10:20 · resolved 10:25_",
    );
    expect(md).toContain(
      "_Impact: 20 min · time to detect: 5 min · to identify: 10 min · to mitigate: 20 min · to resolve: 25 min_",
    );
    expect(md).toContain("INC-1 (Downtime) lasted around 20 minutes.");
    expect(timelineLines(md)).toContain("- 10:00 incident declared by alice (SEV2)");
    expect(timelineLines(md)).toContain("- 10:05 detected (marked by alice): alert fired");
  });

  it("reads HINDSIGHT_DRAFT_AUTHORS as on by default, off when set so", () => {
    expect(loadConfig({}).HINDSIGHT_DRAFT_AUTHORS).toBe(true);
    expect(loadConfig({ HINDSIGHT_DRAFT_AUTHORS: "off" }).HINDSIGHT_DRAFT_AUTHORS).toBe(false);
    expect(() => loadConfig({ HINDSIGHT_DRAFT_AUTHORS: "sometimes" })).toThrow(
      "HINDSIGHT_DRAFT_AUTHORS use true or false",
    );
  });

  it("leaves authors out of the bot's own lines when asked, and only there", () => {
    const bot = writeUp({ draftAuthors: false });
    bot.ok("/timeline add 10:07 alice by the console noticed it");
    const lines = timelineLines(draftOf(bot));
    expect(lines).toEqual([
      "- 10:00 incident declared (SEV2)",
      "- 10:02 @adrian is now commander",
      "- 10:03 @bea is now comms",
      "- 10:05 detected: alert fired",
      "- 10:07 alice by the console noticed it",
      "- 10:10 status changed to identified",
      "- 10:20 status changed to monitoring",
      "- 10:25 incident resolved",
    ]);
  });

  it("never writes a terminal session's OS account into the draft", () => {
    const bot = testBot({ now: "2026-11-24T09:00:00Z" });
    const as = { actor: terminal };
    bot.ok('/incident start Downtime --at "2023-02-23 10:00 UTC"', as);
    expect(bot.fails("/incident role commander me --at 10:01", as)).toContain(
      '"me" here is the terminal\'s account (root)',
    );
    bot.ok("/incident role commander @adrian --at 10:01", as);
    bot.ok("/incident status identified --at 10:10 proxy certificate", as);
    bot.ok("/incident mark impact-end 10:20", as);
    bot.ok("/incident resolve --at 10:25", as);
    const md = draftOf(bot);
    expect(md).not.toMatch(/\broot\b/);
    expect(timelineLines(md)).toEqual([
      "- 10:00 incident declared",
      "- 10:01 @adrian is now commander",
      "- 10:10 status changed to identified: proxy certificate",
      "- 10:20 impact ended",
      "- 10:25 incident resolved",
    ]);
  });

  it("moves a milestone with its one entry when it is marked again", () => {
    const bot = writeUp();
    expect(bot.ok("/incident mark detected 10:04 alert fired")).toBe(
      "INC-1: detected moved to 2023-02-23 10:04 UTC.",
    );
    const md = draftOf(bot);
    expect(md.split("\n").filter((l) => l.includes("detected (marked"))).toEqual([
      "- 10:04 detected (marked by alice): alert fired",
    ]);
    expect(md).toContain("time to detect: 4 min");
  });

  it("keeps the document's headings whatever marks, notes and role names hold", () => {
    const bot = testBot({ now: "2023-02-23T12:00:00Z" });
    bot.ok("/incident start Downtime --at 10:00");
    bot.ok("/incident role commander @<script>x</script>");
    bot.ok("/incident role comms @{{site.title}}");
    bot.ok("/incident mark detected 10:05 x\n## Impact\n---");
    bot.ok("/incident status identified --at 10:10 # Title\n```");
    bot.ok("/incident resolve --at 10:30 {% include x %}");
    const md = draftOf(bot);
    const lines = md.split("\n");
    expect(lines.filter((l) => /^ {0,3}#/.test(l))).toEqual(REFERENCE_HEADINGS);
    expect(lines.filter((l) => /^ {0,3}(---|```)\s*$/.test(l))).toEqual(["---", "---"]);
    expect(md).not.toContain("<script");
    expect(md).not.toContain("{{");
    expect(md).not.toContain("{%");
    expect(md).toContain(
      "_Commander: @&lt;script>x&lt;/script> · comms: @&#123;&#123;site.title}}_",
    );
  });
});
