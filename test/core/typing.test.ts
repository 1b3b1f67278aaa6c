import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

/** Options typed the way people type them, through the whole dispatcher and a real database. */
describe("options as people type them", () => {
  it("refuses a near-miss option with did you mean and the usage, declaring nothing", () => {
    const { fails, repos } = testBot();
    const error = fails("/incident start Y --severity 1");
    const [message, usage, ...more] = error.split("\n");
    expect(message).toContain("did you mean --sev?");
    expect(usage).toBe("Usage: /incident start <title> [--sev 1-4] [--at <when>]");
    expect(more).toEqual([]);
    expect(fails("/incident start Y -sev 1")).toContain("did you mean --sev?");
    expect(repos.incidents.list({ all: true })).toEqual([]);
  });

  it("refuses --owners on /action add, keeping the action list as it was", () => {
    const { ok, fails, repos } = testBot();
    ok("/incident start Downtime");
    expect(fails("/action add renew the cert --owners @bob")).toContain("did you mean --owner?");
    expect(repos.actions.list(1)).toEqual([]);
  });

  it("reads a phone's em or en dash before an option name as --", () => {
    const { ok, repos } = testBot();
    ok("/incident start Checkout is down —sev 2 –at 10:00");
    expect(repos.incidents.get(1)).toMatchObject({
      title: "Checkout is down",
      severity: 2,
      startedAt: Date.parse("2023-02-23T10:00:00Z"),
    });
  });

  it("keeps a dash that stands before no option, and unknown --words, as typed", () => {
    const { ok, repos } = testBot();
    ok("/incident start Sync — rsync --delete wiped /srv --sev 3");
    expect(repos.incidents.get(1)).toMatchObject({
      title: "Sync — rsync --delete wiped /srv",
      severity: 3,
    });
  });

  it("/timeline add -- 10:05 text: the -- is not kept and the time is read as usual", () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime --at 09:00");
    expect(ok("/timeline add -- 10:05 proxy down")).toContain("2023-02-23 10:05 UTC");
    const entry = repos.timeline.get(1, 2)!;
    expect(entry.text).toBe("proxy down");
    expect(entry.at).toBe(Date.parse("2023-02-23T10:05:00Z"));
  });

  it("-- before a real option keeps that option in the text", () => {
    const { ok, repos } = testBot();
    ok("/incident start -- --sev flag ignored by the parser");
    expect(repos.incidents.get(1)).toMatchObject({
      title: "--sev flag ignored by the parser",
      severity: null,
    });
  });
});
