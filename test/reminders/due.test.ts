import { describe, expect, it } from "vitest";
import { dueReminders } from "../../src/reminders/due.ts";
import {
  DEFAULT_UPDATE_EVERY,
  parseCadence,
  type ReminderSettings,
} from "../../src/reminders/settings.ts";
import { testBot } from "../harness.ts";

const MIN = 60_000;
const defaults: ReminderSettings = {
  enabled: true,
  commanderAfterMs: 5 * MIN,
  updateEveryMs: parseCadence(DEFAULT_UPDATE_EVERY),
};

/** A bot and a `due(minutesFromStart)` that moves the clock and asks for due reminders. */
function setup(settings: Partial<ReminderSettings> = {}) {
  const t = testBot({ now: "2023-02-23T10:00:00Z" });
  const start = t.clock.now();
  const due = (minutes: number) => {
    t.clock.set(start + minutes * MIN);
    return dueReminders(t.repos, { ...defaults, ...settings }, t.clock.now());
  };
  const at = (minutes: number) => new Date(start + minutes * MIN).toISOString();
  return { ...t, due, at };
}

describe("reminders", () => {
  it("no commander: once, 5 minutes after the declaration, with the command that silences it", () => {
    const { ok, due } = setup({ updateEveryMs: parseCadence("sev2:off") });
    ok("/incident start Downtime --sev 2");
    expect(due(4)).toEqual([]);
    const [reminder, ...rest] = due(5);
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({ incidentId: 1, kind: "commander" });
    expect(reminder?.text).toContain("INC-1 has had no commander for 5 min");
    expect(reminder?.text).toContain("/incident role commander @someone");
    expect(due(6)).toEqual([]);
    expect(due(60)).toEqual([]);
  });

  it("no commander reminder once someone has the role", () => {
    const { ok, due, at } = setup();
    ok("/incident start Downtime --sev 4");
    ok("/incident role commander me", { at: at(3) });
    expect(due(10)).toEqual([]);
  });

  it("no update: per severity, once per silence, the clock restarting at each update", () => {
    const { ok, due, at } = setup();
    ok("/incident start Downtime --sev 2");
    ok("/incident role commander me");
    expect(due(29)).toEqual([]);
    const [first] = due(30);
    expect(first).toMatchObject({ kind: "update" });
    expect(first?.text).toBe(
      "INC-1 (SEV2) has had no status update for 30 min. Tell stakeholders where things stand: /incident update <text>.",
    );
    expect(due(45)).toEqual([]);
    ok("/incident update failover started", { at: at(50) });
    expect(due(79)).toEqual([]);
    expect(due(80).map((r) => r.kind)).toEqual(["update"]);
    expect(due(200)).toEqual([]);
  });

  it("a severity change restarts the update clock at its own cadence", () => {
    const { ok, due, at } = setup();
    ok("/incident start Downtime --sev 3");
    ok("/incident role commander me");
    ok("/incident sev 1", { at: at(50) });
    expect(due(60)).toEqual([]);
    expect(due(65).map((r) => r.kind)).toEqual(["update"]);
  });

  it("SEV4 is off by default; an incident without severity gets the SEV3 cadence", () => {
    const { ok, due } = setup({ commanderAfterMs: null });
    ok("/incident start Minor --sev 4", { room: "a" });
    ok("/incident start Unrated", { room: "b" });
    expect(due(59)).toEqual([]);
    const reminders = due(60);
    expect(reminders.map((r) => [r.incidentId, r.kind])).toEqual([[2, "update"]]);
    expect(reminders[0]?.text).toContain("INC-2 (no severity)");
  });

  it("resolved incidents get no cadence reminders, and one summary of what the write-up lacks", () => {
    const { ok, due, at, repos } = setup();
    ok("/incident start Downtime --sev 1");
    ok("/action add fix the salt profile --owner @bob --due 2023-03-01");
    ok("/action add rotate keys");
    ok("/action done 2");
    ok("/postmortem set impact Users saw errors");
    ok("/incident resolve", { at: at(3) });
    const reminders = due(4);
    expect(reminders.map((r) => r.kind)).toEqual(["resolve"]);
    const text = reminders[0]!.text;
    expect(text).toContain("INC-1 is resolved. Still to do for the write-up:");
    expect(text).toContain("• 1 open action item: #1 fix the salt profile (@bob, due 2023-03-01)");
    expect(text).not.toContain("rotate keys");
    expect(text).toContain(
      "• empty sections: root-causes, trigger, detection, resolution, lessons, went-well, went-wrong, lucky (/postmortem set <section> <text>)",
    );
    expect(due(600)).toEqual([]);
    expect(repos.reminders.sent(1).map((r) => r.kind)).toEqual(["resolve"]);
  });

  it("a resolution with nothing left says the draft is ready", () => {
    const { ok, due, at } = setup();
    ok("/incident start Downtime --sev 4");
    for (const s of ["impact", "root-causes", "trigger", "detection", "resolution"])
      ok(`/postmortem set ${s} x`);
    for (const s of ["lessons", "went-well", "went-wrong", "lucky"]) ok(`/postmortem set ${s} y`);
    ok("/incident role commander me");
    ok("/incident resolve", { at: at(1) });
    expect(due(2).map((r) => r.text)).toEqual([
      "INC-1 is resolved, every action item is done and every section is written: /postmortem draft renders the write-up.",
    ]);
  });

  it("reopened and resolved again: a second summary", () => {
    const { ok, due, at } = setup({ commanderAfterMs: null });
    ok("/incident start Downtime --sev 4");
    ok("/incident resolve", { at: at(1) });
    expect(due(2).map((r) => r.kind)).toEqual(["resolve"]);
    ok("/incident status investigating", { at: at(3) });
    expect(due(4)).toEqual([]);
    ok("/incident resolve", { at: at(5) });
    expect(due(6).map((r) => r.kind)).toEqual(["resolve"]);
  });

  it("action items past due: once a day per incident, also after the resolution", () => {
    const { ok, due, at } = setup({ commanderAfterMs: null });
    ok("/incident start Downtime --sev 4");
    ok("/action add fix the salt profile --due 2023-02-24");
    ok("/action add write docs --due 2023-02-24 --owner @ana");
    ok("/action add later --due 2023-03-30");
    ok("/incident resolve", { at: at(1) });
    expect(due(2).map((r) => r.kind)).toEqual(["resolve"]);
    expect(due(24 * 60)).toEqual([]); // 2023-02-24 10:00: due today, not past
    const [overdue, ...rest] = due(38 * 60); // 2023-02-25 00:00
    expect(rest).toEqual([]);
    expect(overdue?.text).toBe(
      "INC-1: 2 action items are past due: #1 fix the salt profile (due 2023-02-24); #2 write docs (@ana, due 2023-02-24). Close each with /action done <n>, or give it a new date with /action edit <n> --due <date>.",
    );
    expect(due(50 * 60)).toEqual([]); // the same day
    ok("/action done 1", { at: at(51 * 60) });
    expect(due(62 * 60).map((r) => r.text)).toEqual([
      "INC-1: 1 action item is past due: #2 write docs (@ana, due 2023-02-24). Close each with /action done <n>, or give it a new date with /action edit <n> --due <date>.",
    ]);
    ok("/action edit 2 --due 2023-03-30", { at: at(63 * 60) });
    expect(due(90 * 60)).toEqual([]);
  });

  it("a back-dated write-up never gets reminders", () => {
    const { ok, due } = setup();
    ok('/incident start Old outage --sev 1 --at "2023-02-20 10:00"');
    ok("/action add fix it --due 2023-02-21");
    ok('/incident resolve --at "2023-02-20 11:00"');
    expect(due(120)).toEqual([]);
    expect(due(48 * 60)).toEqual([]);
  });

  it("a start back-dated by less than a day is a live incident", () => {
    const { ok, due } = setup({ updateEveryMs: parseCadence("sev1:off") });
    ok('/incident start Downtime --sev 1 --at "2023-02-23 09:30"');
    expect(due(5).map((r) => r.kind)).toEqual(["commander"]);
  });

  it("an open incident quiet for a day gets no more cadence reminders", () => {
    const { ok, due, at } = setup({ commanderAfterMs: null });
    ok("/incident start Downtime --sev 3");
    expect(due(60).map((r) => r.kind)).toEqual(["update"]);
    ok("/incident update still looking", { at: at(61) });
    expect(due(61 + 24 * 60)).toEqual([]);
  });

  it("HINDSIGHT_REMINDERS=off and off durations post nothing", () => {
    const off = setup({ enabled: false });
    off.ok("/incident start Downtime --sev 1");
    expect(off.due(600)).toEqual([]);
    const quiet = setup({ commanderAfterMs: null, updateEveryMs: parseCadence("sev1:off") });
    quiet.ok("/incident start Downtime --sev 1");
    expect(quiet.due(600)).toEqual([]);
  });
});
