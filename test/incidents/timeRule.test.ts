import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

/** A bot whose clock is `now`, zone `zone`; `stored` is the UTC instant of the latest-recorded entry. */
function session(now: string, zone = "UTC") {
  const bot = testBot({ now, settings: { timezone: zone } });
  const stored = (): string => {
    const entries = bot.repos.timeline.list(1);
    const latest = entries.reduce((a, b) => (b.number > a.number ? b : a));
    return new Date(latest.at).toISOString();
  };
  return { ...bot, stored };
}

/**
 * Each case: when it is (`now`, zone), how the incident was declared, what was typed before, then
 * the line under test and the UTC instant it must be stored at.
 */
const CASES: {
  name: string;
  now: string;
  zone?: string;
  start: string;
  before?: string[];
  line: string;
  stored: string;
}[] = [
  // --- live: the most recent occurrence at or before now ---
  {
    name: "live, midnight roll-over: 23:55 typed at 00:10 is yesterday",
    now: "2023-02-24T00:10:00Z",
    start: "/incident start Night --at -40m",
    line: "/timeline add 23:55 alerts",
    stored: "2023-02-23T23:55:00.000Z",
  },
  {
    name: "live, midnight roll-over: 00:05 typed at 00:10 is today",
    now: "2023-02-24T00:10:00Z",
    start: "/incident start Night --at -40m",
    before: ["/timeline add 23:55 alerts"],
    line: "/timeline add 00:05 restarted",
    stored: "2023-02-24T00:05:00.000Z",
  },
  {
    name: "live, declared 20 h ago: 18:02 typed at 18:52 is today",
    now: "2023-02-23T18:52:00Z",
    start: "/incident start Overnight degradation --at -20h",
    line: "/timeline add 18:02 rollback finished",
    stored: "2023-02-23T18:02:00.000Z",
  },
  {
    name: "live: a state change's --at is read the same way",
    now: "2023-02-23T18:52:00Z",
    start: "/incident start Overnight degradation --at -20h",
    line: "/incident status monitoring --at 18:30",
    stored: "2023-02-23T18:30:00.000Z",
  },
  {
    name: "live, DST spring forward (Berlin): 01:55 typed at 03:30 CEST is 00:55 UTC",
    now: "2023-03-26T01:30:00Z",
    zone: "Europe/Berlin",
    start: "/incident start Spring --at -1h",
    line: "/timeline add 01:55 before the jump",
    stored: "2023-03-26T00:55:00.000Z",
  },
  {
    name: "live, DST fall back (Berlin): 02:40 typed during the second 02:xx is the first one",
    now: "2023-10-29T01:50:00Z",
    zone: "Europe/Berlin",
    start: "/incident start Autumn --at -2h",
    line: "/timeline add 02:40 twice-lived minute",
    stored: "2023-10-29T00:40:00.000Z",
  },
  {
    name: "live, DST fall back (Berlin): 03:05 not yet reached today is yesterday's",
    now: "2023-10-29T01:50:00Z",
    zone: "Europe/Berlin",
    start: "/incident start Autumn --at -23h",
    line: "/timeline add 03:05 earlier that night",
    stored: "2023-10-28T01:05:00.000Z",
  },
  // --- write-up: the occurrence nearest the latest typed time ---
  {
    name: "write-up: a bare time lands on the back-dated start's day",
    now: "2026-11-24T09:00:00Z",
    start: '/incident start Downtime --at "2023-02-23 10:00 UTC"',
    line: "/timeline add 10:05 noticed a problem",
    stored: "2023-02-23T10:05:00.000Z",
  },
  {
    name: "write-up, midnight roll-over: 00:05 after 23:50 is the next day",
    now: "2026-11-24T09:00:00Z",
    start: '/incident start Night --at "2023-02-23 23:40 UTC"',
    before: ["/timeline add 23:50 alerts"],
    line: "/timeline add 00:05 restarted",
    stored: "2023-02-24T00:05:00.000Z",
  },
  {
    name: "write-up, midnight roll-over: 23:55 after 00:05 goes back a day",
    now: "2026-11-24T09:00:00Z",
    start: '/incident start Night --at "2023-02-23 23:40 UTC"',
    before: ["/timeline add 23:50 alerts", "/timeline add 00:05 restarted"],
    line: "/timeline add 23:55 paged",
    stored: "2023-02-23T23:55:00.000Z",
  },
  {
    name: "write-up: entries the bot stamped today do not move the anchor",
    now: "2026-11-24T09:00:00Z",
    start: '/incident start Downtime --at "2023-05-01 18:00 UTC"',
    before: ["/timeline add noted while writing up", "/incident role commander @adrian --at 18:01"],
    line: "/timeline add 18:05 first alert",
    stored: "2023-05-01T18:05:00.000Z",
  },
  {
    name: "write-up, DST fall back (Berlin): 02:40 after 23:30 is the first 02:40",
    now: "2026-11-24T09:00:00Z",
    zone: "Europe/Berlin",
    start: '/incident start Autumn --at "2023-10-28 23:30"',
    line: "/timeline add 02:40 still degraded",
    stored: "2023-10-29T00:40:00.000Z",
  },
  {
    name: "write-up, DST spring forward (Berlin): 03:10 after 01:30 is 01:10 UTC",
    now: "2026-11-24T09:00:00Z",
    zone: "Europe/Berlin",
    start: '/incident start Spring --at "2023-03-26 01:30"',
    line: "/timeline add 03:10 after the jump",
    stored: "2023-03-26T01:10:00.000Z",
  },
  {
    name: "write-up: --at now is today, as asked",
    now: "2026-11-24T09:00:00Z",
    start: '/incident start Downtime --at "2023-02-23 10:00 UTC"',
    line: "/incident resolve --at now finally closed in the bot",
    stored: "2026-11-24T09:00:00.000Z",
  },
  // --- no incident yet: the most recent such time ---
  {
    name: "no incident: --at 23:00 at noon is yesterday evening",
    now: "2023-02-23T12:00:00Z",
    start: "/incident start Quiet --sev 3",
    line: "/incident start Earlier --at 23:00",
    stored: "2023-02-22T23:00:00.000Z",
  },
];

describe("bare times: the stored UTC instant", () => {
  it.each(CASES)("$name", ({ now, zone, start, before = [], line, stored }) => {
    const s = session(now, zone);
    s.ok(start, { room: "war-room" });
    for (const l of before) s.ok(l);
    const room = line.startsWith("/incident start") ? "other-room" : "war-room";
    s.ok(line, { room });
    if (line.startsWith("/incident start")) {
      expect(new Date(s.repos.incidents.get(2)!.startedAt).toISOString()).toBe(stored);
    } else {
      expect(s.stored()).toBe(stored);
    }
  });
});

describe("a back-dated write-up with state changes in between", () => {
  it("dates every entry on its own day; none lands today", () => {
    const s = session("2026-11-24T09:00:00Z");
    const replies = [
      s.ok('/incident start Cache outage --sev 2 --at "2023-05-01 18:00 UTC"'),
      s.ok("/incident role commander @adrian --at 18:03"),
      s.ok("/timeline add 18:05 first alert"),
      s.ok("/incident sev 1 --at 18:30"),
      s.ok("/incident status identified --at 19:00 bad cache config"),
      s.ok("/timeline add 23:50 rollback started"),
      s.ok("/timeline add 00:20 rollback finished"),
      s.ok("/incident status monitoring --at 02:00"),
      s.ok("/incident mark impact-end 02:10 error rate normal"),
      s.ok("/incident resolve --at 09:00"),
    ];
    const stamps = s.repos.timeline.list(1).map((e) => new Date(e.at).toISOString());
    expect(stamps).toEqual([
      "2023-05-01T18:00:00.000Z",
      "2023-05-01T18:03:00.000Z",
      "2023-05-01T18:05:00.000Z",
      "2023-05-01T18:30:00.000Z",
      "2023-05-01T19:00:00.000Z",
      "2023-05-01T23:50:00.000Z",
      "2023-05-02T00:20:00.000Z",
      "2023-05-02T02:00:00.000Z",
      "2023-05-02T02:10:00.000Z",
      "2023-05-02T09:00:00.000Z",
    ]);
    // Every reply that records a time says it in UTC with its date.
    expect(replies[1]).toContain("(2023-05-01 18:03 UTC)");
    expect(replies[3]).toContain("SEV1 (2023-05-01 18:30 UTC)");
    expect(replies[7]).toContain("(2023-05-02 02:00 UTC)");
    expect(replies[8]).toBe("INC-1: impact-end set at 2023-05-02 02:10 UTC.");
    expect(replies[9]).toContain("resolved at 2023-05-02 09:00 UTC after 15 h");
    const card = s.ok("/incident status");
    expect(card).toContain("Durations: impact 8 h 10 min · to identify 1 h · to mitigate 8 h");
    expect(card).not.toContain("ongoing");
  });

  it.each([
    ["/incident status identified", "--at"],
    ["/incident sev 1", "--at"],
    ["/incident role commander @adrian", "--at"],
    ["/incident resolve", "--at"],
    ["/incident mark detected", "/incident mark detected 10:05"],
  ])("refuses %s without a time, asking for one, and records nothing", (line, asks) => {
    const s = session("2026-11-24T09:00:00Z");
    s.ok('/incident start Downtime --at "2023-02-23 10:00 UTC"');
    const before = s.snapshot();
    const error = s.fails(line);
    expect(error).toContain("INC-1 is being written up");
    expect(error).toContain("2023-02-23 10:00 UTC");
    expect(error).toContain(asks);
    expect(error).toContain('"now"');
    expect(s.snapshot()).toBe(before);
  });

  it("becomes a write-up 24 h after the latest typed time, whatever the bot stamped since", () => {
    const s = session("2023-02-23T10:00:00Z");
    s.ok("/incident start Long haul");
    s.clock.set("2023-02-24T09:00:00Z");
    s.ok("/timeline add still degraded"); // stamped now by the bot: not typed
    s.ok("/incident sev 2"); // live: stamped now, not typed either
    s.clock.set("2023-02-24T10:30:00Z");
    expect(s.fails("/incident sev 1")).toContain("being written up");
    s.ok("/timeline add 10:25 new errors"); // typed: nearest 2023-02-23 10:00 is that day's
    expect(s.stored()).toBe("2023-02-23T10:25:00.000Z");
    s.ok("/incident sev 1 --at now"); // typed now: live again
    s.ok("/timeline add 10:20 cache flushed");
    expect(s.stored()).toBe("2023-02-24T10:20:00.000Z");
  });
});

describe("refusals and warnings", () => {
  it("says so when an untimed entry in a write-up lands today", () => {
    const s = session("2026-11-24T09:00:00Z");
    s.ok('/incident start Downtime --at "2023-02-23 10:00 UTC"');
    const reply = s.ok("/timeline add noted while writing up");
    expect(reply).toContain("Added #2 at 2026-11-24 09:00 UTC: noted while writing up");
    expect(reply).toContain("being written up");
    expect(s.ok("/timeline add 10:05 noticed")).not.toContain("being written up");
  });

  it("never turns an unreadable or future time into now", () => {
    const s = session("2023-02-23T12:00:00Z");
    s.ok("/incident start Downtime --at 10:00");
    const before = s.snapshot();
    expect(s.fails("/incident status identified --at soonish")).toContain('cannot read "soonish"');
    expect(s.fails("/incident role commander @adrian --at 25:00")).toContain("hours go up to 23");
    expect(s.fails('/incident sev 1 --at "2023-02-24 10:00"')).toContain("in the future");
    expect(s.fails("/incident mark detected +5m")).toContain("count back from now");
    expect(s.snapshot()).toBe(before);
  });

  it("records a time more than 7 days before the start, with a warning", () => {
    const s = session("2023-02-23T12:00:00Z");
    s.ok("/incident start Downtime --at 10:00");
    const reply = s.ok('/timeline add "2022-02-23 10:05" year typo');
    expect(s.stored()).toBe("2022-02-23T10:05:00.000Z");
    expect(reply).toContain("Added #2 at 2022-02-23 10:05 UTC: year typo");
    expect(reply).toContain("Check the date: that is 364 days before INC-1 started");
    expect(s.ok('/timeline add "2023-02-17 10:05" a week ago')).not.toContain("Check the date");
  });

  it("refuses impossible milestones with the reason and keeps possible odd orders", () => {
    const s = session("2023-02-23T12:00:00Z");
    s.ok("/incident start Downtime --at 10:00");
    const before = s.snapshot();
    expect(s.fails("/incident mark impact-end 09:30")).toContain(
      "impact cannot end (2023-02-23 09:30 UTC) before it started (impact-start 2023-02-23 10:00 UTC)",
    );
    expect(s.fails("/incident resolve --at 09:30")).toContain(
      "cannot be resolved before it started (2023-02-23 10:00 UTC)",
    );
    s.ok("/incident mark impact-start 10:40");
    expect(s.fails("/incident resolve --at 10:30")).toContain(
      "cannot be resolved (2023-02-23 10:30 UTC) before its impact started (impact-start 2023-02-23 10:40 UTC)",
    );
    s.ok("/incident mark impact-start 09:50 first errors");
    expect(s.snapshot()).not.toBe(before);
    // Mitigated before identified (a rollback first) is real life.
    s.ok("/incident status monitoring --at 10:05");
    s.ok("/incident status identified --at 10:15");
    expect(s.ok("/incident status")).toContain(
      "Durations: impact 15 min · to identify 25 min · to mitigate 15 min",
    );
  });
});
