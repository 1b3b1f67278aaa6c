import { describe, expect, it } from "vitest";
import { summaryCard } from "../../src/incidents/summary.ts";
import { testBot } from "../harness.ts";

describe("/incident rename", () => {
  it("changes the title, says old → new, and records it on the timeline and in the audit log", () => {
    const { ok, say, repos } = testBot({ now: "2023-02-23T10:30:00Z" });
    ok("/incident start Downtime --sev 2");
    const result = say("/incident rename Certificate errors on the login proxy");
    if (result.kind !== "ok") throw new Error(result.kind);
    expect(result.reply.text).toBe(
      "INC-1 renamed: Downtime → Certificate errors on the login proxy",
    );
    expect(result.reply.visibility).toBe("channel");
    expect(result.reply.effects).toEqual([
      {
        kind: "incident-renamed",
        incident: expect.objectContaining({
          id: 1,
          title: "Certificate errors on the login proxy",
        }),
      },
    ]);
    expect(repos.incidents.get(1)!.title).toBe("Certificate errors on the login proxy");
    expect(repos.timeline.list(1).at(-1)).toMatchObject({
      at: Date.parse("2023-02-23T10:30:00Z"),
      text: 'incident renamed from "Downtime" to "Certificate errors on the login proxy" by alice',
    });
    const audit = repos.audit.of(1).filter((a) => a.entity === "incident");
    expect(audit).toMatchObject([{ action: "rename", actor_id: "U_ALICE", entity_id: 1 }]);
    expect(JSON.parse(audit[0]!.before!)).toEqual({ title: "Downtime" });
    expect(JSON.parse(audit[0]!.after!)).toEqual({
      title: "Certificate errors on the login proxy",
    });
  });

  it("the summary card, the incident list and the draft carry the new title", () => {
    const { ok, say, repos } = testBot({ now: "2023-02-23T10:30:00Z" });
    ok("/incident start Downtime");
    ok("/incident rename Certificate errors");
    expect(summaryCard(repos, repos.incidents.get(1)!, Date.now()).title).toBe(
      "INC-1: Certificate errors",
    );
    const status = say("/incident status");
    expect(status.kind === "ok" && status.reply.title).toBe("INC-1: Certificate errors");
    expect(ok("/incident list")).toContain("INC-1 Certificate errors");
    const draft = say("/postmortem draft");
    if (draft.kind !== "ok" || !draft.reply.file) throw new Error("no draft");
    expect(draft.reply.file.content).toContain(
      'title: "Post-mortem: Certificate errors on February 23, 2023"',
    );
    expect(draft.reply.file.name).toBe("2023-02-23-certificate-errors.md");
  });

  it("in a write-up the rename corrects the record: audit log only, no line dated today", () => {
    const { ok, say, repos } = testBot({ now: "2026-12-01T20:00:00Z" });
    ok('/incident start Certificate erors --at "2023-02-23 10:00 UTC"');
    ok("/timeline add 10:05 noticed a problem");
    const entries = repos.timeline.count(1);
    expect(ok("/incident rename Certificate errors")).toBe(
      "INC-1 renamed: Certificate erors → Certificate errors (a correction of the write-up: kept in the audit log, not on the timeline)",
    );
    expect(repos.timeline.count(1)).toBe(entries);
    expect(repos.audit.of(1).filter((a) => a.action === "rename")).toHaveLength(1);
    const draft = say("/postmortem draft");
    if (draft.kind !== "ok" || !draft.reply.file) throw new Error("no draft");
    expect(draft.reply.file.content).not.toContain("2026");
  });

  it("takes the same title rules as /incident start, and the same title twice is refused", () => {
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    const before = snapshot();
    expect(fails("/incident rename")).toContain("title is missing");
    expect(fails(`/incident rename ${"t".repeat(201)}`)).toContain(
      "title is too long (201 characters, at most 200)",
    );
    expect(fails(`/incident start ${"t".repeat(201)}`)).toContain("at most 200");
    expect(fails("/incident rename two\nlines")).toContain("title must be one line");
    expect(fails("/incident rename Downtime")).toContain('INC-1 is already called "Downtime"');
    expect(snapshot()).toBe(before);
    expect(ok(`/incident rename ${"t".repeat(200)}`)).toContain("renamed");
  });

  it("names another incident with INC-7 from anywhere, and keeps the text as typed", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    ok('/incident INC-1 rename "Login" proxy — *certificate* --sev 2', { room: "elsewhere" });
    expect(repos.incidents.get(1)!.title).toBe('"Login" proxy — *certificate* --sev 2');
  });
});
