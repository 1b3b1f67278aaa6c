import pino from "pino";
import { describe, expect, it } from "vitest";
import { DEDUPE_RETENTION_MS, pruneOnce } from "../src/housekeeping.ts";
import { testBot } from "./harness.ts";

describe("housekeeping", () => {
  it("forgets dedupe entries older than the retention, keeps recent ones, and replays inside it stay quiet", () => {
    const { say, repos, clock } = testBot({ now: "2023-02-23T10:00:00Z" });
    say("/incident start Downtime", { eventId: "old" });
    clock.set(Date.parse("2023-02-23T10:00:00Z") + DEDUPE_RETENTION_MS - 1000);
    say("/timeline add recent", { eventId: "recent" });
    clock.set(Date.parse("2023-02-23T10:00:00Z") + DEDUPE_RETENTION_MS + 1000);
    expect(pruneOnce(repos, clock, pino({ level: "silent" }))).toBe(1);
    expect(say("/timeline add recent", { eventId: "recent" }).kind).toBe("duplicate");
    expect(repos.db.prepare("SELECT event_id FROM processed_events").pluck().all()).toEqual([
      "recent",
    ]);
  });
});
