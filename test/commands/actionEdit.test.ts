import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("/action edit", () => {
  it("changes text, owner and due date, each alone or together, and says what moved", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok("/incident start Downtime");
    ok("/action add Check the Salt profile");
    expect(ok("/action edit 1 --owner @bob")).toBe(
      "Action 1 edited (owner none → @bob): Check the Salt profile (@bob)",
    );
    expect(ok("/action edit 1 --due 2023-03-10")).toBe(
      "Action 1 edited (due none → 2023-03-10): Check the Salt profile (@bob, due 2023-03-10)",
    );
    expect(ok("/action edit 1 Check and fix the Salt profile for dehydrated")).toBe(
      "Action 1 edited (text): Check and fix the Salt profile for dehydrated (@bob, due 2023-03-10)",
    );
    expect(ok("/action edit #1 Fix it --owner me --due tomorrow")).toBe(
      "Action 1 edited (text, owner @bob → alice, due 2023-03-10 → 2023-02-24): Fix it (alice, due 2023-02-24)",
    );
    expect(repos.actions.get(1, 1)).toMatchObject({
      text: "Fix it",
      owner: "alice",
      due: "2023-02-24",
    });
  });

  it("clears owner and due with none, and keeps the done state", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    ok("/action add fix it --owner @bob --due 2023-03-01");
    ok("/action done 1");
    expect(ok("/action edit 1 --owner none --due none")).toBe(
      "Action 1 edited (owner @bob → none, due 2023-03-01 → none): fix it",
    );
    expect(repos.actions.get(1, 1)).toMatchObject({ owner: null, due: null });
    expect(repos.actions.get(1, 1)!.doneAt).not.toBeNull();
    expect(ok("/action list")).toBe("[x] 1. fix it");
  });

  it("gives an action: item an owner, and the draft shows it", () => {
    const { ok, say, repos } = testBot();
    ok("/incident start Downtime");
    say("action: add an alert on certificate expiry");
    ok("/action edit 1 --owner @carol --due 2023-03-15");
    expect(repos.actions.get(1, 1)).toMatchObject({
      text: "add an alert on certificate expiry",
      owner: "@carol",
      due: "2023-03-15",
    });
    const draft = say("/postmortem draft");
    if (draft.kind !== "ok" || !draft.reply.file) throw new Error("no draft");
    expect(draft.reply.file.content).toContain(
      "- [ ] add an alert on certificate expiry (@carol, due 2023-03-15)",
    );
  });

  it("keeps the old version in the audit log and refreshes the pinned card", () => {
    const { ok, say, repos } = testBot();
    ok("/incident start Downtime");
    ok("/action add fix it");
    const result = say("/action edit 1 fix it properly --owner @bob");
    if (result.kind !== "ok") throw new Error(result.kind);
    expect(result.reply.effects).toMatchObject([{ kind: "incident-changed" }]);
    const audit = repos.audit.of(1).filter((a) => a.entity === "action");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "edit", actor_id: "U_ALICE" });
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ text: "fix it", owner: null });
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ text: "fix it properly", owner: "@bob" });
  });

  it("an edit that changes nothing writes nothing", () => {
    const { ok, snapshot } = testBot();
    ok("/incident start Downtime");
    ok("/action add fix it --owner @bob");
    const before = snapshot();
    expect(ok("/action edit 1 fix it --owner @bob")).toBe(
      "Action 1 already reads so: fix it (@bob)",
    );
    expect(snapshot()).toBe(before);
  });

  it("refuses a missing number, an unknown item, nothing to change and bad values", () => {
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    ok("/action add fix it");
    const before = snapshot();
    expect(fails("/action edit")).toContain("action number is missing");
    expect(fails("/action edit 7 text")).toContain("there is no action item 7; see /action list");
    expect(fails("/action edit 1")).toContain(
      "nothing to change in action 1: give new text, --owner or --due",
    );
    expect(fails("/action edit 1 --owner bob")).toContain('"bob" is not a user');
    expect(fails("/action edit 1 --due 2023-02-30")).toContain("--due: no such date");
    expect(fails("/action edit 1 --due +3x")).toContain('"+3x" is not a date');
    expect(snapshot()).toBe(before);
  });
});

describe("due dates", () => {
  const cases: [string, string, string, string][] = [
    // [now (UTC), caller zone, typed, stored]
    ["2023-02-23T12:00:00Z", "UTC", "2023-03-10", "2023-03-10"],
    ["2023-02-23T12:00:00Z", "UTC", "today", "2023-02-23"],
    ["2023-02-23T12:00:00Z", "UTC", "tomorrow", "2023-02-24"],
    ["2023-02-23T12:00:00Z", "UTC", "Tomorrow", "2023-02-24"],
    ["2023-02-23T12:00:00Z", "UTC", "+3d", "2023-02-26"],
    ["2023-02-23T12:00:00Z", "UTC", "+2w", "2023-03-09"],
    ["2023-02-27T12:00:00Z", "UTC", "+3d", "2023-03-02"], // across the end of February
    ["2024-02-27T12:00:00Z", "UTC", "+3d", "2024-03-01"], // a leap year
    ["2023-12-31T12:00:00Z", "UTC", "tomorrow", "2024-01-01"],
    // 23:30 UTC on the 23rd is 00:30 on the 24th in Berlin: Berlin's tomorrow is the 25th ...
    ["2023-02-23T23:30:00Z", "Europe/Berlin", "tomorrow", "2023-02-25"],
    // ... and at 01:00 Berlin time (00:00 UTC) it is already the 24th there.
    ["2023-02-24T00:00:00Z", "Europe/Berlin", "today", "2023-02-24"],
    // 19:00 in New York on the 23rd is already the 24th in UTC: the caller's today counts.
    ["2023-02-24T00:00:00Z", "America/New_York", "tomorrow", "2023-02-24"],
  ];
  for (const [now, zone, typed, stored] of cases) {
    it(`--due ${typed} at ${now} in ${zone} is ${stored}, for add and edit alike`, () => {
      const { ok, repos } = testBot({ now, settings: { timezone: zone } });
      ok("/incident start Downtime");
      ok(`/action add fix it --due ${typed}`);
      expect(repos.actions.get(1, 1)!.due).toBe(stored);
      ok("/action add other");
      ok(`/action edit 2 --due ${typed}`);
      expect(repos.actions.get(1, 2)!.due).toBe(stored);
    });
  }

  it("reads relative dates in the caller's own profile zone before the configured one", () => {
    const { ok, repos } = testBot({ now: "2023-02-24T00:00:00Z" });
    ok("/incident start Downtime");
    ok("/action add fix it --due today", {
      actor: { id: "U_BOB", name: "bob", timezone: "America/New_York" },
    });
    expect(repos.actions.get(1, 1)!.due).toBe("2023-02-23");
  });
});
