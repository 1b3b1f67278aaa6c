import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

const MB2 = "x".repeat(2_000_000);
const KB100 = "y".repeat(100_000);

/** Each tag, the command it stands for, and how to count what it filed. */
const TAGS = [
  { tag: "impact:", command: "/postmortem add impact", what: "impact" },
  { tag: "Root cause:", command: "/postmortem add root-causes", what: "root-causes" },
  { tag: "lesson:", command: "/postmortem add lessons", what: "lessons" },
  { tag: "action:", command: "/action add", what: "actions" },
  { tag: "todo:", command: "/action add", what: "actions" },
  { tag: "timeline:", command: "/timeline add", what: "timeline" },
] as const;

function filed(bot: ReturnType<typeof testBot>, what: string): string[] {
  const { repos } = bot;
  if (what === "actions") return repos.actions.list(1).map((a) => a.text);
  if (what === "timeline")
    return repos.timeline
      .list(1)
      .filter((e) => e.kind === "tag")
      .map((e) => e.text);
  return repos.sections.section(1, what).map((s) => s.text);
}

describe("a tagged message obeys the limits of the command it stands for", () => {
  it("refuses `impact: ` + 2 MB like /postmortem add: collected, answered once, nothing filed", () => {
    const bot = testBot();
    bot.ok("/incident start Downtime");
    expect(bot.fails(`/postmortem add impact ${MB2}`)).toContain("at most 4000");
    const result = bot.say(`impact: ${MB2}`);
    expect(result.kind).toBe("collected");
    if (result.kind !== "collected") return;
    expect(result.applied).toBeUndefined();
    expect(result.reply?.visibility).toBe("caller");
    expect(result.reply?.text).toBe(
      "not filed under impact: text is too long (2000000 characters, at most 4000), as /postmortem add would refuse it",
    );
    expect(bot.repos.sections.section(1, "impact")).toEqual([]);
    expect(bot.repos.messages.count(1)).toBe(1);
    const draft = bot.say("/postmortem draft");
    if (draft.kind !== "ok" || !draft.reply.file) throw new Error("no draft");
    expect(draft.reply.file.content).not.toContain("x".repeat(4001));
  });

  it("refuses `timeline: ` and `action: ` + 100 kB: no entry, no action item, no number used", () => {
    const bot = testBot();
    bot.ok("/incident start Downtime");
    const entries = bot.repos.timeline.count(1);
    const timeline = bot.say(`timeline: ${KB100}`);
    const action = bot.say(`action: ${KB100}`);
    expect(timeline.kind === "collected" && timeline.reply?.text).toContain(
      "not filed under the timeline: text is too long (100000 characters",
    );
    expect(action.kind === "collected" && action.reply?.text).toContain(
      "not filed under action items: text is too long (100000 characters",
    );
    expect(bot.repos.timeline.count(1)).toBe(entries);
    expect(bot.repos.actions.list(1)).toEqual([]);
    expect(bot.ok("/action add the first real one")).toBe("Action 1 added: the first real one");
  });

  for (const { tag, command, what } of TAGS) {
    it(`${tag} takes exactly what ${command} takes: 4000 characters yes, 4001 no`, () => {
      const bot = testBot();
      bot.ok("/incident start Downtime");
      const fits = "a".repeat(4000);
      const over = "b".repeat(4001);
      expect(bot.fails(`${command} ${over}`)).toContain("too long (4001 characters, at most 4000)");
      const refused = bot.say(`${tag} ${over}`);
      expect(refused.kind === "collected" && refused.reply?.text).toContain(
        "too long (4001 characters, at most 4000)",
      );
      const accepted = bot.say(`${tag} ${fits}`);
      expect(["section", "action", "timeline"]).toContain(
        accepted.kind === "collected" ? accepted.applied : accepted.kind,
      );
      expect(accepted.kind === "collected" && accepted.reply).toBeUndefined();
      expect(filed(bot, what)).toEqual([fits]);
    });
  }

  it("refuses control characters in a tag as the commands do", () => {
    const bot = testBot();
    bot.ok("/incident start Downtime");
    expect(bot.fails("/postmortem add lucky bell\u0007")).toContain("control characters");
    const result = bot.say("lucky: bell\u0007");
    expect(result.kind === "collected" && result.reply?.text).toBe(
      "not filed under lucky: text contains control characters, as /postmortem add would refuse it",
    );
    expect(bot.repos.sections.section(1, "lucky")).toEqual([]);
  });

  it("an edit is read as if sent anew: beyond the limit the item goes, back within it returns", () => {
    const bot = testBot();
    bot.ok("/incident start Downtime");
    bot.say("impact: users saw 502", { eventId: "m1" });
    bot.say("action: fix the proxy", { eventId: "m2" });
    bot.bot.editMessage("console", "m1", `impact: ${KB100}`);
    bot.bot.editMessage("console", "m2", `action: ${KB100}`);
    expect(bot.repos.sections.section(1, "impact")).toEqual([]);
    expect(bot.repos.actions.list(1)).toEqual([]);
    bot.bot.editMessage("console", "m1", "impact: users saw 502 for 20 minutes");
    expect(bot.repos.sections.section(1, "impact").map((s) => s.text)).toEqual([
      "users saw 502 for 20 minutes",
    ]);
  });

  it("📌 on a message longer than /timeline add takes files nothing; a pinned entry keeps its last fitting text", () => {
    const bot = testBot();
    bot.ok("/incident start Downtime");
    bot.say(KB100, { eventId: "big" });
    bot.say("proxy restarted", { eventId: "small" });
    const pin = (messageEventId: string) =>
      bot.bot.pin({
        platform: "console",
        messageEventId,
        actorId: "U_ALICE",
        reactionEventId: null,
      });
    expect(pin("big")).toBe("refused");
    expect(pin("small")).toBe("pinned");
    bot.bot.editMessage("console", "small", KB100);
    const pinned = bot.repos.timeline.list(1).filter((e) => e.kind === "pin");
    expect(pinned.map((e) => e.text)).toEqual(["proxy restarted"]);
  });
});
