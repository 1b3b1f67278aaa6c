import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("dispatcher", () => {
  it("treats text that is not a command as a plain message", () => {
    const { say, ok } = testBot();
    expect(say("the proxy is down").kind).toBe("ignored");
    ok("/incident start Downtime");
    for (const text of [
      "/var/log is full",
      "!!! db down",
      "https://status.example.org/incidents/7 is up",
      "/etc/nginx/nginx.conf was changed",
      "!important: db down",
      "/ path",
    ])
      expect(say(text).kind, text).toBe("collected");
  });

  it("answers a /word or !word that is no command, and does not collect it", () => {
    // This was "/shrug is ignored": the contract now answers any /word that is no command.
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    const before = snapshot();
    const pm = fails("/pm draft").split("\n");
    expect(pm[0]).toBe("unknown command /pm. Did you mean /postmortem draft? Try /help");
    expect(pm[1]).toBe("Usage: /postmortem draft [--template <name>]");
    expect(pm).toHaveLength(2);
    expect(fails("/foo")).toContain("unknown command /foo.");
    expect(fails("/foo")).toContain("/help");
    expect(fails("/shrug")).toContain("/help");
    expect(fails("!foo start Downtime")).toContain("Did you mean /incident start?");
    expect(fails("/inc sev 2")).toContain("Did you mean /incident sev?");
    expect(fails("/hlep")).toContain("Did you mean /help?");
    expect(snapshot()).toBe(before);
  });

  it("suggests the closest command for a typo in the command word", () => {
    const { fails } = testBot();
    // Names the whole command now ("/incident start"), not only the group it was before.
    expect(fails("/incidnet start Downtime")).toContain("Did you mean /incident start?");
    expect(fails("/incidnet")).toContain("Did you mean /incident?");
    expect(fails("/incident strat Downtime")).toContain("Did you mean /incident start?");
    expect(fails("/timeline ad 10:05 x")).toContain("Did you mean /timeline add?");
  });

  it("answers help for every group and command, generated from the specs", () => {
    const { ok } = testBot();
    const incident = ok("/incident help");
    for (const name of ["start", "status", "sev", "role", "resolve", "list"])
      expect(incident).toContain(`/incident ${name}`);
    expect(ok("/timeline help")).toContain("/timeline edit <n> [<when>] [<text>]");
    expect(ok("/action")).toContain("/action add <text> [--owner @user] [--due <date>]");
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

  it("takes a leading #n right after the command words as the incident, as INC-n", () => {
    const { ok, repos } = testBot();
    ok("/incident start First", { room: "room-a" });
    ok("/incident start Second", { room: "room-b" });
    expect(ok("/timeline add #1 11:00 from the lobby", { room: "lobby" })).toContain("11:00");
    ok("/timeline add #1 11:01 from the other room", { room: "room-b" });
    ok("/incident status #2", { room: "lobby" });
    expect(repos.timeline.list(1).map((e) => e.text)).toEqual(
      expect.arrayContaining(["from the lobby", "from the other room"]),
    );
    expect(repos.timeline.count(2)).toBe(1);
    // -- before it keeps a leading #1 as text.
    ok("/timeline add -- #1 priority ticket opened", { room: "room-b" });
    expect(repos.timeline.list(2).map((e) => e.text)).toContain("#1 priority ticket opened");
  });

  it("keeps #n and INC-n in the title of /incident start, which names no incident", () => {
    const { ok, repos } = testBot();
    ok("/incident start First");
    ok("/incident start INC-1 follow-up", { room: "room-b" });
    ok("/incident start #1 priority: checkout", { room: "room-c" });
    expect(repos.incidents.get(2)!.title).toBe("INC-1 follow-up");
    expect(repos.incidents.get(3)!.title).toBe("#1 priority: checkout");
  });

  it("reads #n as the row number of /timeline remove and /action done, INC-n as the incident", () => {
    const { ok, repos } = testBot();
    ok("/incident start First", { room: "room-a" });
    ok("/action add renew the cert", { room: "room-a" });
    ok("/timeline add 11:00 one", { room: "room-a" });
    ok("/timeline add 11:01 two", { room: "room-a" });
    expect(ok("/action done #1", { room: "room-a" })).toContain("Action 1 done");
    expect(repos.actions.list(1)[0]!.doneAt).not.toBeNull();
    expect(ok("/timeline remove INC-1 #3", { room: "lobby" })).toContain("Removed #3");
    expect(repos.timeline.list(1).map((e) => e.text)).not.toContain("two");
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

  it("reads #n later in the line as text, and as a row number where the command takes one", () => {
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

  it("help with an unknown topic says so, with a did you mean, then the group's help", () => {
    const { ok } = testBot();
    const nonsense = ok("/incident help nonsense").split("\n");
    expect(nonsense[0]).toBe("no command /incident nonsense.");
    expect(nonsense.slice(1).join("\n")).toBe(ok("/incident help"));
    expect(ok("/incident help strat")).toMatch(
      /^no command \/incident strat\. Did you mean \/incident start\?\n/,
    );
    expect(ok("/timeline help nope")).toContain("/timeline add");
    expect(ok("/help incident")).toBe(ok("/incident help"));
    expect(ok("/help incident start")).toBe(ok("/incident help start"));
    expect(ok("/help nonsense")).toMatch(/^no command \/nonsense\.\n/);
    expect(ok("/help incidnet")).toContain("Did you mean /incident?");
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
