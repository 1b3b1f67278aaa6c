import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

const t = (iso: string) => Date.parse(iso);

describe("/timeline edit <n> <when> moves an entry and keeps its text", () => {
  it("a time alone moves the entry; the text stays exactly as typed", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok('/timeline add 10:05 noticed a problem with the *webserver* --delete "quoted"');
    expect(ok("/timeline edit 2 10:07")).toBe(
      'Moved #2 from 2023-02-23 10:05 UTC to 2023-02-23 10:07 UTC: noticed a problem with the *webserver* --delete "quoted"',
    );
    expect(repos.timeline.get(1, 2)).toMatchObject({
      at: t("2023-02-23T10:07:00Z"),
      text: 'noticed a problem with the *webserver* --delete "quoted"',
    });
  });

  it("takes every <when> form: a date and zone, an ISO time, a relative time", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok("/timeline add 10:05 noticed");
    ok('/timeline edit 2 "2023-02-23 11:05 CET"');
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-23T10:05:00Z"));
    ok("/timeline edit 2 2023-02-23T10:09:00Z");
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-23T10:09:00Z"));
    ok("/timeline edit 2 -90m");
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-23T10:30:00Z"));
    expect(repos.timeline.get(1, 2)!.text).toBe("noticed");
  });

  it("a bare time is read near the entry's own time: 23:50 moved to 00:05 is the next day", () => {
    const { ok, repos } = testBot({ now: "2023-02-24T03:00:00Z" });
    ok('/incident start Night --at "2023-02-23 23:00"');
    ok('/timeline add "2023-02-23 23:50" failover started');
    ok("/timeline edit 2 00:05");
    expect(repos.timeline.get(1, 2)!.at).toBe(t("2023-02-24T00:05:00Z"));
  });

  it("moving the declared entry moves the start; the pinned card is refreshed", () => {
    const { ok, say, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    const result = say("/timeline edit 1 09:50");
    if (result.kind !== "ok") throw new Error(result.kind);
    expect(result.reply.effects).toMatchObject([{ kind: "incident-changed" }]);
    expect(repos.incidents.get(1)!.startedAt).toBe(t("2023-02-23T09:50:00Z"));
    expect(repos.timeline.get(1, 1)!.text).toBe("incident declared by alice");
  });

  it("text alone keeps the time; time and text together change both; all audited", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok("/timeline add 10:05 noticed a prolbem");
    expect(ok("/timeline edit 2 noticed a problem")).toBe(
      "Edited #2: 2023-02-23 10:05 UTC noticed a problem",
    );
    ok("/timeline edit 2 10:06");
    ok("/timeline edit 2 10:04 first noticed a problem");
    expect(repos.timeline.get(1, 2)).toMatchObject({
      at: t("2023-02-23T10:04:00Z"),
      text: "first noticed a problem",
    });
    const audit = repos.audit.of(1).filter((a) => a.entity === "timeline");
    expect(audit.map((a) => JSON.parse(a.before!))).toMatchObject([
      { at: t("2023-02-23T10:05:00Z"), text: "noticed a prolbem" },
      { at: t("2023-02-23T10:05:00Z"), text: "noticed a problem" },
      { at: t("2023-02-23T10:06:00Z"), text: "noticed a problem" },
    ]);
  });

  it("refuses an edit with nothing to change, and one that changes nothing writes nothing", () => {
    const { ok, fails, snapshot } = testBot({ now: "2023-02-23T12:00:00Z" });
    ok('/incident start Downtime --at "2023-02-23 10:00"');
    ok("/timeline add 10:05 noticed");
    const before = snapshot();
    expect(fails("/timeline edit 2")).toContain(
      "nothing to change in #2: give a new time, new text or both",
    );
    expect(ok("/timeline edit 2 10:05")).toBe("#2 already reads so: 2023-02-23 10:05 UTC noticed");
    expect(fails("/timeline edit 2 +5m")).toContain("relative times count back from now");
    expect(snapshot()).toBe(before);
  });
});
