import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("/incident", () => {
  it("start declares INC-n, records 'declared' and echoes a back-dated start in UTC", () => {
    const { ok, repos } = testBot();
    const text = ok('/incident start Downtime --sev 2 --at "2023-02-23 10:00 UTC"');
    expect(text).toBe(
      "Declared INC-1: Downtime (SEV2), started 2023-02-23 10:00 UTC. Log what happens with /timeline add.",
    );
    const incident = repos.incidents.get(1)!;
    expect(incident).toMatchObject({
      title: "Downtime",
      severity: 2,
      status: "investigating",
      startedAt: Date.parse("2023-02-23T10:00:00Z"),
    });
    expect(repos.timeline.list(1)).toMatchObject([
      { kind: "declared", at: Date.parse("2023-02-23T10:00:00Z") },
    ]);
  });

  it("start reads --at in the configured zone when none is given", () => {
    const { ok, repos } = testBot({ settings: { timezone: "Europe/Berlin" } });
    expect(ok('/incident start Downtime --at "2023-02-23 11:00"')).toContain(
      "started 2023-02-23 10:00 UTC",
    );
    expect(repos.incidents.get(1)!.startedAt).toBe(Date.parse("2023-02-23T10:00:00Z"));
  });

  it("start has aliases and keeps the title verbatim", () => {
    const { ok, repos } = testBot();
    ok('/incident declare "Login" broken for *all* users 🔥 --sev 1');
    expect(repos.incidents.get(1)!.title).toBe('"Login" broken for *all* users 🔥');
  });

  it("start refuses a room that already belongs to an incident when rooms are not created", () => {
    const { ok, fails } = testBot();
    ok("/incident start Downtime");
    expect(fails("/incident start Other")).toContain("already belongs to INC-1");
  });

  it("start asks the adapter to create a room when room creation is on", () => {
    const { say } = testBot({ settings: { createRooms: true } });
    const result = say("/incident start Downtime");
    expect(result.kind === "ok" && result.reply.effects).toMatchObject([
      { kind: "incident-declared", createRoom: true },
    ]);
  });

  it("status without argument shows the summary card", () => {
    const { ok, clock } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok("/incident start Downtime --sev 2");
    ok("/incident role commander @alice");
    ok("/action add fix the salt profile --owner @bob");
    clock.set("2023-02-23T10:30:00Z");
    const card = ok("/incident status");
    expect(card).toContain("SEV2 · investigating");
    expect(card).toContain("commander: @alice");
    expect(card).toContain("ongoing for 30 min");
    expect(card).toContain("1. fix the salt profile (@bob)");
  });

  it("status, severity and role changes are timeline entries", () => {
    const { ok, repos, fails } = testBot();
    ok("/incident start Downtime --sev 3");
    expect(ok("/incident status identified bad certificate")).toContain(
      "INC-1 is now identified (2023-02-23 12:00 UTC)",
    );
    ok("/incident sev 1");
    ok("/incident role scribe me");
    expect(fails("/incident sev 1")).toContain("already SEV1");
    expect(fails("/incident status identified")).toContain("already identified");
    const texts = repos.timeline.list(1).map((e) => e.text);
    expect(texts).toEqual([
      "incident declared by alice (SEV3)",
      "status changed to identified by alice: bad certificate",
      "severity changed from SEV3 to SEV1 by alice",
      "alice is now scribe (assigned by alice)",
    ]);
  });

  it("resolve stamps the time, keeps the incident editable and lists only open incidents", () => {
    const { ok, repos } = testBot();
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    expect(ok('/incident resolve --at "2023-02-23 10:25 UTC" failover restored')).toBe(
      "INC-1 resolved at 2023-02-23 10:25 UTC after 25 min. Write it up with /postmortem set, then /postmortem draft.",
    );
    expect(repos.incidents.get(1)).toMatchObject({
      status: "resolved",
      resolvedAt: Date.parse("2023-02-23T10:25:00Z"),
    });
    ok("/timeline add 10:10 still editable after resolution");
    expect(ok("/incident list", { room: "lobby" })).toBe("No open incidents.");
    expect(ok("/incident list --all", { room: "lobby" })).toContain(
      "INC-1 Downtime · no severity · resolved",
    );
  });

  it("status can reopen a resolved incident", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    ok("/incident resolve");
    expect(ok("/incident status investigating it came back")).toContain("now investigating");
    expect(repos.incidents.get(1)).toMatchObject({ status: "investigating", resolvedAt: null });
    expect(repos.timeline.list(1).at(-1)!.text).toBe(
      "incident reopened as investigating by alice: it came back",
    );
  });

  it("list shows newest first", () => {
    const { ok } = testBot();
    ok("/incident start First", { room: "a" });
    ok("/incident start Second", { room: "b" });
    const lines = ok("/incident list").split("\n");
    expect(lines[0]).toContain("INC-2 Second");
    expect(lines[1]).toContain("INC-1 First");
  });
});
