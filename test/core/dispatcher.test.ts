import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("dispatcher", () => {
  it("treats text that is not a command as a plain message", () => {
    const { say } = testBot();
    expect(say("the proxy is down").kind).toBe("ignored");
    expect(say("/shrug").kind).toBe("ignored");
  });

  it("suggests the closest command for a typo in the command word", () => {
    const { fails } = testBot();
    expect(fails("/incidnet start Downtime")).toContain("Did you mean /incident?");
    expect(fails("/incident strat Downtime")).toContain("Did you mean /incident start?");
    expect(fails("/timeline ad 10:05 x")).toContain("Did you mean /timeline add?");
  });

  it("answers help for every group and command, generated from the specs", () => {
    const { ok } = testBot();
    const incident = ok("/incident help");
    for (const name of ["start", "status", "sev", "role", "resolve", "list"])
      expect(incident).toContain(`/incident ${name}`);
    expect(ok("/timeline help")).toContain("/timeline edit <n> [<when>] <text>");
    expect(ok("/action")).toContain("/action add <text> [--owner @user] [--due YYYY-MM-DD]");
    const start = ok("/incident help start");
    expect(start).toContain("Usage: /incident start <title> [--sev 1-4] [--at <when>]");
    expect(start).toContain("Aliases: declare, new");
    expect(ok("/postmortem draft help")).toContain("--template");
    expect(ok("/help")).toContain("/postmortem");
  });

  it("acts on the incident of the room it is said in", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime", { room: "room-a" });
    ok("/incident start Slow search", { room: "room-b" });
    ok("/timeline add 11:00 in b", { room: "room-b" });
    expect(repos.timeline.list(2).map((e) => e.text)).toContain("in b");
    expect(repos.timeline.list(1).map((e) => e.text)).not.toContain("in b");
  });

  it("takes an explicit INC-n or #n before or after the subcommand, anywhere", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime", { room: "room-a" });
    ok("/timeline add INC-1 11:00 from the lobby", { room: "lobby" });
    ok("/timeline #1 add 11:01 also from the lobby", { room: "lobby" });
    expect(repos.timeline.list(1).map((e) => e.text)).toEqual(
      expect.arrayContaining(["from the lobby", "also from the lobby"]),
    );
  });

  it("outside an incident room without a reference, says how to name one and lists open ones", () => {
    const { ok, fails } = testBot();
    ok("/incident start Downtime", { room: "room-a" });
    const error = fails("/timeline add 11:00 lost", { room: "lobby" });
    expect(error).toContain("INC-7");
    expect(error).toContain("INC-1 Downtime");
    expect(fails("/timeline add INC-9 11:00 x", { room: "lobby" })).toContain(
      "INC-9 does not exist",
    );
  });

  it("runs a redelivered command once and answers the replay as a duplicate", () => {
    const { say, repos } = testBot();
    expect(say("/incident start Downtime", { eventId: "Ev1" }).kind).toBe("ok");
    expect(say("/incident start Downtime", { eventId: "Ev1" }).kind).toBe("duplicate");
    expect(say("/timeline add 11:00 x", { eventId: "Ev2" }).kind).toBe("ok");
    expect(say("/timeline add 11:00 x", { eventId: "Ev2" }).kind).toBe("duplicate");
    expect(repos.incidents.list({ all: true })).toHaveLength(1);
    expect(repos.timeline.count(1)).toBe(2);
  });

  it("a replayed failing command stays quiet the second time", () => {
    const { say } = testBot();
    expect(say("/incident sev 9", { eventId: "Ev3" }).kind).toBe("user-error");
    expect(say("/incident sev 9", { eventId: "Ev3" }).kind).toBe("duplicate");
  });

  it("a replay carries the reply the first delivery got, so an adapter can answer it again", () => {
    const { say, repos } = testBot();
    const first = say("/incident start Downtime --sev 2", { eventId: "Ev4" });
    const replay = say("/incident start Downtime --sev 2", { eventId: "Ev4" });
    expect(replay.kind).toBe("duplicate");
    expect(replay.kind === "duplicate" && replay.reply).toEqual(first.kind === "ok" && first.reply);
    const failed = say("/incident sev 9", { eventId: "Ev5" });
    const failedAgain = say("/incident sev 9", { eventId: "Ev5" });
    expect(failedAgain.kind === "duplicate" && failedAgain.reply?.text).toBe(
      failed.kind === "user-error" && failed.reply.text,
    );
    expect(repos.incidents.list({ all: true })).toHaveLength(1);
  });

  it("gives one line saying what was wrong plus the usage", () => {
    const { ok, fails } = testBot();
    ok("/incident start Downtime");
    const error = fails("/incident sev 7");
    const lines = error.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("severity must be 1, 2, 3 or 4 (1 is the worst)");
    expect(lines[1]).toBe("Usage: /incident sev <1-4> [--at <when>]");
  });

  it("reads #n after the command words as text or a row number, never as another incident", () => {
    const { ok, repos } = testBot();
    ok("/incident start First", { room: "room-a" });
    ok("/incident start Second", { room: "room-b" });
    ok("/timeline add 11:00 #1 customer escalated", { room: "room-b" });
    expect(repos.timeline.get(2, 2)!.text).toBe("#1 customer escalated");
    expect(repos.timeline.count(1)).toBe(1);
    expect(ok("/timeline remove #2", { room: "room-b" })).toContain("Removed #2");
  });

  it("keeps -- and everything around it in the text of a command that has no options", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    ok("/timeline add 11:00 DB failover -- took 3 min");
    expect(repos.timeline.get(1, 2)!.text).toBe("DB failover -- took 3 min");
  });

  it("answers help with an error reply, not an exception, when the database cannot be written", () => {
    const { say, db } = testBot();
    db.pragma("query_only = ON");
    const result = say("/incident help");
    expect(result.kind).toBe("internal-error");
    expect(result.kind === "internal-error" && result.reply.text).toMatch(/read-only/);
  });

  it("keeps a replay's answer without the draft file (drafts can be megabytes)", () => {
    const { say, ok } = testBot();
    ok("/incident start Downtime");
    const first = say("/postmortem draft", { eventId: "draft-1" });
    expect(first.kind === "ok" && first.reply.file?.content).toContain("## Impact");
    const replay = say("/postmortem draft", { eventId: "draft-1" });
    expect(replay.kind === "duplicate" && replay.reply?.text).toContain(
      "Post-mortem draft of INC-1",
    );
    expect(replay.kind === "duplicate" && replay.reply?.file).toBeUndefined();
  });
});
