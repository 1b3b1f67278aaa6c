import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

function draftOf(say: ReturnType<typeof testBot>["say"]): string {
  const result = say("/postmortem draft");
  if (result.kind !== "ok" || !result.reply.file) throw new Error("no draft");
  return result.reply.file.content;
}

describe("/postmortem show", () => {
  it("without a section: every section with its item count, in the draft's order", () => {
    const { ok, say } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem set impact Users could not log in.");
    ok("/postmortem add went-wrong No monitoring of the backup");
    say("went wrong: highstate not run everywhere");
    const result = say("/postmortem show");
    if (result.kind !== "ok") throw new Error(result.kind);
    expect(result.reply.visibility).toBe("caller");
    expect(result.reply.title).toBe("Post-mortem sections of INC-1");
    expect(result.reply.text.split("\n")).toEqual([
      "• summary: empty",
      "• impact: 1 item",
      "• root-causes: empty",
      "• trigger: empty",
      "• detection: empty",
      "• resolution: empty",
      "• lessons: empty",
      "• went-well: empty",
      "• went-wrong: 2 items",
      "• lucky: empty",
      "See one with /postmortem show <section>; write with /postmortem add or set.",
    ]);
  });

  it("with a section: its items numbered in order, tagged messages included", () => {
    const { ok, say } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem add went-wrong No monitoring of the backup");
    say("went wrong: highstate not run\non every machine");
    const result = say("/postmortem show what-went-wrong");
    if (result.kind !== "ok") throw new Error(result.kind);
    expect(result.reply.title).toBe("went-wrong of INC-1: 2 items");
    expect(result.reply.text).toBe(
      "1. No monitoring of the backup\n2. highstate not run\n   on every machine",
    );
    expect(ok("/postmortem show lucky")).toBe(
      "lucky of INC-1 is empty. Add to it with /postmortem add lucky <text>.",
    );
  });

  it("writes nothing", () => {
    const { ok, snapshot } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem add lucky it was a Thursday");
    const before = snapshot();
    ok("/postmortem show");
    ok("/postmortem show lucky");
    expect(snapshot()).toBe(before);
  });
});

describe("/postmortem remove", () => {
  it("removes one item by its number; the rest and the draft keep their order", () => {
    const { ok, say } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem add went-wrong first");
    ok("/postmortem add went-wrong second, a mistake");
    say("went wrong: third");
    expect(ok("/postmortem remove went-wrong 2")).toBe(
      "Removed item 2 from went-wrong of INC-1 (2 left): second, a mistake",
    );
    expect(ok("/postmortem show went-wrong")).toBe("1. first\n2. third");
    const draft = draftOf(say);
    expect(draft).toContain("## What Went Wrong?\n\n- first\n- third\n");
    expect(draft).not.toContain("a mistake");
  });

  it("keeps the removed item in the audit log", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem set impact Users could not log in.");
    ok("/postmortem remove impact 1");
    const audit = repos.audit.of(1).filter((a) => a.entity === "section");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "remove", actor_id: "U_ALICE" });
    expect(JSON.parse(audit[0]!.after!)).toBeNull();
    expect(JSON.parse(audit[0]!.before!)).toEqual({
      section: "impact",
      number: 1,
      kind: "paragraph",
      text: "Users could not log in.",
    });
    expect(repos.sections.section(1, "impact")).toEqual([]);
  });

  it("refuses a number the section does not have, and says how many it has", () => {
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem add lucky one");
    const before = snapshot();
    expect(fails("/postmortem remove lucky 2")).toContain(
      "lucky has no item 2 (it has 1); see /postmortem show lucky",
    );
    expect(fails("/postmortem remove impact 1")).toContain("impact has no item 1 (it is empty)");
    expect(fails("/postmortem remove lucky")).toContain("item number is missing");
    expect(fails("/postmortem remove lucky 1 2")).toContain('unexpected "2"');
    expect(snapshot()).toBe(before);
  });
});
