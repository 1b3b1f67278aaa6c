import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

const t = (iso: string) => Date.parse(iso);

describe("/timeline", () => {
  it("add without a time stamps the message's own time and echoes it in UTC", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T10:07:30Z" });
    ok("/incident start Downtime");
    expect(ok("/timeline add noticed the proxy down")).toBe(
      "Added #2 at 2023-02-23 10:07:30 UTC: noticed the proxy down",
    );
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-23T10:07:30Z"));
  });

  it("a bare time lands on the incident's day, even years later", () => {
    const { ok, repos } = testBot({ now: "2026-11-24T09:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00 UTC"');
    expect(ok("/timeline add 10:05 noticed a problem")).toBe(
      "Added #2 at 2023-02-23 10:05 UTC: noticed a problem",
    );
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-23T10:05:00Z"));
  });

  it("rolls over midnight after a late entry", () => {
    const { ok } = testBot({ now: "2023-02-24T03:00:00Z" });
    ok('/incident start Night --at "2023-02-23 23:40"');
    ok("/timeline add 23:50 alerts");
    expect(ok("/timeline add 00:05 restarted")).toContain("2023-02-24 00:05 UTC");
  });

  it("reads zones and relative times, and rejects what it cannot read", () => {
    const { ok, fails, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok("/incident start Downtime");
    expect(ok("/timeline add 11:05 CET deploy")).toContain("2023-02-23 10:05 UTC");
    expect(ok("/timeline add -15m first alert")).toContain("2023-02-23 11:45 UTC");
    expect(ok('/timeline add "2023-02-23 09:00 Europe/Berlin" quoted')).toContain(
      "2023-02-23 08:00 UTC",
    );
    const before = repos.timeline.count(1);
    expect(fails("/timeline add 25:99 impossible")).toContain(
      "Usage: /timeline add [<when>] <text>",
    );
    expect(fails("/timeline add 10:05")).toContain("text is missing");
    expect(repos.timeline.count(1)).toBe(before);
  });

  it("uses the caller's own zone for bare times", () => {
    const { ok } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok("/incident start Downtime");
    const bob = { id: "U_BOB", name: "bob", timezone: "America/New_York" };
    expect(ok("/timeline add 06:30 bob's entry", { actor: bob })).toContain("2023-02-23 11:30 UTC");
  });

  it("list is in time order with stable numbers; equal times keep recording order", () => {
    const { ok } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok("/timeline add 10:20 fixed");
    ok("/timeline add 10:05 noticed");
    ok("/timeline add 10:05 paged on-call");
    const lines = ok("/timeline list").split("\n");
    expect(lines).toEqual([
      "#1  2023-02-23 10:00 UTC  incident declared by alice",
      "#3  2023-02-23 10:05 UTC  noticed",
      "#4  2023-02-23 10:05 UTC  paged on-call",
      "#2  2023-02-23 10:20 UTC  fixed",
    ]);
  });

  it("edit changes time and text and keeps the old version in the audit log", () => {
    const { ok, repos } = testBot();
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok("/timeline add 10:05 noticed a prolbem");
    expect(ok("/timeline edit 2 10:06 noticed a problem")).toBe(
      "Edited #2: 2023-02-23 10:06 UTC noticed a problem",
    );
    ok("/timeline edit 2 noticed a problem with the proxy");
    expect(repos.timeline.get(1, 2)).toMatchObject({
      at: t("2023-02-23T10:06:00Z"),
      text: "noticed a problem with the proxy",
    });
    const audit = repos.audit.of(1).filter((a) => a.entity === "timeline");
    expect(audit.map((a) => JSON.parse(a.before!).text)).toEqual([
      "noticed a prolbem",
      "noticed a problem",
    ]);
  });

  it("remove deletes the entry, never reuses its number, and audits it", () => {
    const { ok, fails, repos } = testBot();
    ok("/incident start Downtime");
    ok("/timeline add 11:00 wrong entry");
    expect(ok("/timeline remove 2")).toContain("Removed #2");
    expect(fails("/timeline remove 2")).toContain("there is no timeline entry #2");
    expect(ok("/timeline add 11:01 next")).toContain("Added #3");
    expect(repos.audit.of(1).map((a) => a.action)).toContain("remove");
  });
});

describe("the declared and resolved entries are the incident's start and end", () => {
  it("moving them moves the incident, so durations and the file name follow", () => {
    const { ok, say, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok('/incident resolve --at "2023-02-23 10:25"');
    ok("/timeline edit 1 09:50 incident declared by alice");
    ok("/timeline edit 2 11:40 incident resolved by alice");
    expect(repos.incidents.get(1)).toMatchObject({
      startedAt: t("2023-02-23T09:50:00Z"),
      resolvedAt: t("2023-02-23T11:40:00Z"),
    });
    const draft = say("/postmortem draft");
    const md = draft.kind === "ok" ? (draft.reply.file?.content ?? "") : "";
    expect(md).toContain("lasted around 1 hour and 50 minutes");
  });

  it("refuses an end before the start and a start after the end", () => {
    const { ok, fails } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    expect(fails('/incident resolve --at "2023-02-23 09:00"')).toContain(
      "cannot be resolved before it started",
    );
    ok('/incident resolve --at "2023-02-23 10:25"');
    expect(fails("/timeline edit 2 09:00 incident resolved by alice")).toContain(
      "cannot be resolved before it started",
    );
    expect(fails("/timeline edit 1 11:00 incident declared by alice")).toContain(
      "cannot start after it was resolved",
    );
  });
});
