import { describe, expect, it } from "vitest";
import { parseWhen } from "../../src/incidents/time/parse.ts";
import { berlin, later, NOW, t, userError, utcCtx } from "./whenFixtures.ts";

describe("parseWhen: forms", () => {
  it.each([
    ["10:05", "2023-02-23T10:05:00Z"],
    ["10:05:30", "2023-02-23T10:05:30Z"],
    ["9:05", "2023-02-23T09:05:00Z"],
    ["  10:05  ", "2023-02-23T10:05:00Z"],
    ["2023-02-22 10:05", "2023-02-22T10:05:00Z"],
    ["2023-02-22 10:05:07", "2023-02-22T10:05:07Z"],
    ["2023-02-22T10:05", "2023-02-22T10:05:00Z"],
    ["2023-02-22T10:05:00Z", "2023-02-22T10:05:00Z"],
    ["2023-02-22t10:05z", "2023-02-22T10:05:00Z"],
    ["2023-02-22T10:05:00.250Z", "2023-02-22T10:05:00.250Z"],
    ["2023-02-22T10:05+01:00", "2023-02-22T09:05:00Z"],
    ["2023-02-22T10:05:00-0500", "2023-02-22T15:05:00Z"],
    ["2023-02-22T10:05+05", "2023-02-22T05:05:00Z"],
    ["2023-02-22 10:05Z", "2023-02-22T10:05:00Z"],
    ["10:05+01:00", "2023-02-23T09:05:00Z"],
    ["now", "2023-02-23T12:00:00Z"],
    ["NOW", "2023-02-23T12:00:00Z"],
  ])("%s → %s", (input, expected) => {
    expect(parseWhen(input, utcCtx)).toBe(t(expected));
  });
});

describe("parseWhen: zones", () => {
  it.each([
    ["UTC", "2023-02-22T10:00:00Z"],
    ["utc", "2023-02-22T10:00:00Z"],
    ["Z", "2023-02-22T10:00:00Z"],
    ["GMT", "2023-02-22T10:00:00Z"],
    ["+01:00", "2023-02-22T09:00:00Z"],
    ["+0100", "2023-02-22T09:00:00Z"],
    ["-05:00", "2023-02-22T15:00:00Z"],
    ["+05:30", "2023-02-22T04:30:00Z"],
    ["Europe/Berlin", "2023-02-22T09:00:00Z"],
    ["europe/berlin", "2023-02-22T09:00:00Z"],
    ["America/New_York", "2023-02-22T15:00:00Z"],
    ["Asia/Kolkata", "2023-02-22T04:30:00Z"],
    ["CET", "2023-02-22T09:00:00Z"],
    ["CEST", "2023-02-22T08:00:00Z"],
    ["cest", "2023-02-22T08:00:00Z"],
    ["BST", "2023-02-22T09:00:00Z"],
    ["EST", "2023-02-22T15:00:00Z"],
    ["EDT", "2023-02-22T14:00:00Z"],
    ["PST", "2023-02-22T18:00:00Z"],
    ["PDT", "2023-02-22T17:00:00Z"],
    ["IST", "2023-02-22T04:30:00Z"],
  ])("2023-02-22 10:00 %s → %s", (zone, expected) => {
    expect(parseWhen(`2023-02-22 10:00 ${zone}`, utcCtx)).toBe(t(expected));
  });

  it.each([
    ["2023-07-01 10:00 CET", "2023-07-01T09:00:00Z"],
    ["2023-07-01 10:00 Europe/Berlin", "2023-07-01T08:00:00Z"],
    ["2023-07-01 10:00 EST", "2023-07-01T15:00:00Z"],
    ["2023-07-01 10:00 America/New_York", "2023-07-01T14:00:00Z"],
  ])("abbreviations are fixed offsets, IANA names follow DST: %s → %s", (input, expected) => {
    expect(parseWhen(input, later)).toBe(t(expected));
  });

  it.each([
    ["10:05", "2023-02-23T09:05:00Z"],
    ["2023-02-22 10:05", "2023-02-22T09:05:00Z"],
    ["2023-02-22T10:05", "2023-02-22T09:05:00Z"],
    ["2023-02-22 10:05 UTC", "2023-02-22T10:05:00Z"],
    ["2023-02-22T10:05Z", "2023-02-22T10:05:00Z"],
    // An explicit zone wins; 10:05 in New York today is still to come, so it is yesterday's.
    ["10:05 America/New_York", "2023-02-22T15:05:00Z"],
  ])("without a zone, reads %s in the context zone (Europe/Berlin) → %s", (input, expected) => {
    expect(parseWhen(input, berlin)).toBe(t(expected));
  });
});

describe("parseWhen: DST switch days in 2023", () => {
  it.each([
    // Spring forward, Europe/Berlin: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    ["2023-03-26 01:59 Europe/Berlin", "2023-03-26T00:59:00Z"],
    ["2023-03-26 01:59:59 Europe/Berlin", "2023-03-26T00:59:59Z"],
    ["2023-03-26 03:00 Europe/Berlin", "2023-03-26T01:00:00Z"],
    ["2023-03-26 03:30 Europe/Berlin", "2023-03-26T01:30:00Z"],
    // Fall back: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:xx happens twice, we take the first.
    ["2023-10-29 01:59 Europe/Berlin", "2023-10-28T23:59:00Z"],
    ["2023-10-29 02:00 Europe/Berlin", "2023-10-29T00:00:00Z"],
    ["2023-10-29 02:30 Europe/Berlin", "2023-10-29T00:30:00Z"],
    ["2023-10-29 02:59:59 Europe/Berlin", "2023-10-29T00:59:59Z"],
    ["2023-10-29 03:00 Europe/Berlin", "2023-10-29T02:00:00Z"],
    ["2023-10-29 03:30 Europe/Berlin", "2023-10-29T02:30:00Z"],
    // Fixed abbreviations have no gap and no overlap, so they name either side exactly.
    ["2023-03-26 02:30 CET", "2023-03-26T01:30:00Z"],
    ["2023-03-26 02:30 CEST", "2023-03-26T00:30:00Z"],
    ["2023-10-29 02:30 CEST", "2023-10-29T00:30:00Z"],
    ["2023-10-29 02:30 CET", "2023-10-29T01:30:00Z"],
    ["2023-10-29T02:30+01:00", "2023-10-29T01:30:00Z"],
    // United States: 2023-03-12 and 2023-11-05.
    ["2023-03-12 01:59 America/New_York", "2023-03-12T06:59:00Z"],
    ["2023-03-12 03:00 America/New_York", "2023-03-12T07:00:00Z"],
    ["2023-11-05 01:30 America/New_York", "2023-11-05T05:30:00Z"],
  ])("%s → %s", (input, expected) => {
    expect(parseWhen(input, later)).toBe(t(expected));
  });

  it.each([
    "2023-03-26 02:00 Europe/Berlin",
    "2023-03-26 02:30 Europe/Berlin",
    "2023-03-26 02:59:59 Europe/Berlin",
    "2023-03-12 02:30 America/New_York",
  ])("%s does not exist", (input) => {
    expect(userError(() => parseWhen(input, later)).message).toMatch(/does not exist/);
  });

  it("reports a nonexistent time in the context zone", () => {
    const ctx = { now: later.now, zone: "Europe/Berlin" };
    const error = userError(() => parseWhen("2023-03-26 02:30", ctx));
    expect(error.message).toContain("2023-03-26 02:30 does not exist in Europe/Berlin");
    expect(error.message).toContain("60 minutes");
  });

  it.each([
    // Anchor 01:50 CET on the spring day: 02:30 that day does not exist, 03:10 CEST does.
    ["2023-03-26T00:50:00Z", "03:10", "2023-03-26T01:10:00Z"],
    ["2023-03-26T00:50:00Z", "01:55", "2023-03-26T00:55:00Z"],
    // Anchor 02:10 CEST (first pass) and 02:20 CET (second pass): 02:40 is always the first.
    ["2023-10-29T00:10:00Z", "02:40", "2023-10-29T00:40:00Z"],
    ["2023-10-29T01:20:00Z", "02:40", "2023-10-29T00:40:00Z"],
    ["2023-10-29T01:20:00Z", "03:05", "2023-10-29T02:05:00Z"],
  ])("anchor %s in Europe/Berlin: %s → %s", (anchor, input, expected) => {
    const ctx = { now: later.now, zone: "Europe/Berlin", anchor: t(anchor) };
    expect(parseWhen(input, ctx)).toBe(t(expected));
  });

  it("rejects a time of day that falls in the gap nearest the anchor", () => {
    const ctx = { now: later.now, zone: "Europe/Berlin", anchor: t("2023-03-26T00:50:00Z") };
    expect(userError(() => parseWhen("02:30", ctx)).message).toMatch(/does not exist/);
  });
});

describe("parseWhen: time of day near the anchor", () => {
  it.each([
    // Midnight roll-over: 00:05 after a 23:50 entry is the next day...
    ["UTC", "2023-02-23T23:50:00Z", "2023-02-24T00:20:00Z", "00:05", "2023-02-24T00:05:00Z"],
    ["UTC", "2023-02-23T23:50:00Z", "2023-02-24T00:20:00Z", "23:55", "2023-02-23T23:55:00Z"],
    ["UTC", "2023-02-24T00:10:00Z", "2023-02-24T00:20:00Z", "23:55", "2023-02-23T23:55:00Z"],
    // ...but not when the next day's 00:05 has not happened yet.
    ["UTC", "2023-02-23T23:50:00Z", "2023-02-24T00:01:00Z", "00:05", "2023-02-23T00:05:00Z"],
    // ...and within the clock-skew tolerance it has.
    ["UTC", "2023-02-23T23:50:00Z", "2023-02-24T00:04:30Z", "00:05", "2023-02-24T00:05:00Z"],
    // The same in Berlin: 23:50 local is 22:50 UTC.
    [
      "Europe/Berlin",
      "2023-02-23T22:50:00Z",
      "2023-02-23T23:30:00Z",
      "00:05",
      "2023-02-23T23:05:00Z",
    ],
    // Back-dated incident years ago: the anchor's day, not today's.
    ["UTC", "2023-02-23T10:00:00Z", "2026-01-15T08:00:00Z", "10:05", "2023-02-23T10:05:00Z"],
    ["UTC", "2023-02-23T10:00:00Z", "2026-01-15T08:00:00Z", "09:30", "2023-02-23T09:30:00Z"],
    ["UTC", "2023-02-23T10:00:00Z", "2026-01-15T08:00:00Z", "23:00", "2023-02-22T23:00:00Z"],
    ["UTC", "2023-02-23T10:00:00Z", "2026-01-15T08:00:00Z", "21:00", "2023-02-23T21:00:00Z"],
    // Exactly 12 h either side: the later one.
    ["UTC", "2023-02-23T10:00:00Z", "2026-01-15T08:00:00Z", "22:00", "2023-02-23T22:00:00Z"],
    [
      "Europe/Berlin",
      "2023-02-23T09:00:00Z",
      "2026-01-15T08:00:00Z",
      "10:05",
      "2023-02-23T09:05:00Z",
    ],
  ])("zone %s, anchor %s, now %s: %s → %s", (zone, anchor, now, input, expected) => {
    expect(parseWhen(input, { zone, anchor: t(anchor), now: t(now) })).toBe(t(expected));
  });

  it.each([
    // No anchor: the most recent such time (today's if passed, else yesterday's).
    ["UTC", "10:05", "2023-02-23T10:05:00Z"],
    ["UTC", "12:00", "2023-02-23T12:00:00Z"],
    ["UTC", "12:00:30", "2023-02-23T12:00:30Z"],
    ["UTC", "12:02", "2023-02-22T12:02:00Z"],
    ["UTC", "13:00", "2023-02-22T13:00:00Z"],
    ["UTC", "00:00", "2023-02-23T00:00:00Z"],
    ["UTC", "23:59", "2023-02-22T23:59:00Z"],
    ["Europe/Berlin", "12:59", "2023-02-23T11:59:00Z"],
    ["Europe/Berlin", "13:30", "2023-02-22T12:30:00Z"],
  ])("zone %s, no anchor, now 2023-02-23 12:00 UTC: %s → %s", (zone, input, expected) => {
    expect(parseWhen(input, { zone, now: NOW })).toBe(t(expected));
  });

  it("uses the local date, not the UTC date, after local midnight", () => {
    const ctx = { now: t("2023-02-23T23:30:00Z"), zone: "Europe/Berlin" }; // 00:30 on the 24th there
    expect(parseWhen("23:45", ctx)).toBe(t("2023-02-23T22:45:00Z"));
    expect(parseWhen("00:15", ctx)).toBe(t("2023-02-23T23:15:00Z"));
  });
});

describe("parseWhen: relative", () => {
  it.each([
    ["-15m", "2023-02-23T11:45:00Z"],
    ["-2h", "2023-02-23T10:00:00Z"],
    ["-2H", "2023-02-23T10:00:00Z"],
    ["-30s", "2023-02-23T11:59:30Z"],
    ["-1d", "2023-02-22T12:00:00Z"],
    ["-1h30m", "2023-02-23T10:30:00Z"],
    ["-1d2h3m4s", "2023-02-22T09:56:56Z"],
    ["-90m", "2023-02-23T10:30:00Z"],
    ["-0m", "2023-02-23T12:00:00Z"],
  ])("%s → %s", (input, expected) => {
    expect(parseWhen(input, berlin)).toBe(t(expected));
  });
});

describe("parseWhen: the future", () => {
  it.each([
    "2023-02-23 12:05",
    "2023-02-23 12:01:01",
    "2023-02-23T13:05+01:00",
    "2023-02-24T00:00Z",
    "2030-01-01 10:00 UTC",
  ])("rejects %s", (input) => {
    expect(userError(() => parseWhen(input, utcCtx)).message).toMatch(/is in the future/);
  });

  it("names the UTC time it read when rejecting", () => {
    expect(userError(() => parseWhen("2023-02-23 13:05 CET", utcCtx)).message).toBe(
      '"2023-02-23 13:05 CET" is 2023-02-23 12:05 UTC, which is in the future.',
    );
  });

  it("accepts up to 60 s ahead for clock skew", () => {
    expect(parseWhen("2023-02-23 12:01", utcCtx)).toBe(t("2023-02-23T12:01:00Z"));
    expect(parseWhen("2023-02-23 12:00:59", utcCtx)).toBe(t("2023-02-23T12:00:59Z"));
  });

  it.each(["+15m", "+2h"])("rejects the relative %s", (input) => {
    expect(userError(() => parseWhen(input, utcCtx)).message).toMatch(/count back from now/);
  });
});

describe("parseWhen: invalid input", () => {
  it.each([
    ["", /^no time given\. Use HH:MM/],
    ["   ", /^no time given/],
    ["25:00", /^cannot read "25:00" as a time: hours go up to 23\. Use HH:MM, YYYY-MM-DD HH:MM/],
    ["10:60", /minutes go up to 59/],
    ["10:05:60", /seconds go up to 59/],
    ["24:00", /hours go up to 23/],
    ["2023-02-30 10:00", /2023-02-30 is not a date \(February 2023 has 28 days\)/],
    ["2023-13-01 10:00", /months go from 01 to 12/],
    ["2023-00-10 10:00", /months go from 01 to 12/],
    ["1969-12-31 10:00", /years start at 1970/],
    ["2023-02-23", /needs a time of day/],
    ["yesterday-ish", /^cannot read "yesterday-ish" as a time\. Use HH:MM/],
    ["yesterday", /cannot read "yesterday"/],
    ["10:05 Mars/Base", /unknown zone "Mars\/Base"\. Use UTC, an offset like \+01:00/],
    ["10:05 Japan Standard", /unexpected "Standard"/],
    ["10:05 UTC extra", /unexpected "extra"/],
    ["10:05Z UTC", /unexpected "UTC"/],
    ["10:05 +25:00", /"\+25:00" is not a UTC offset/],
    ["1005", /cannot read "1005"/],
    ["10:5", /cannot read "10:5"/],
    ["10.05", /cannot read "10.05"/],
    ["10:05pm", /cannot read "10:05pm"/],
    ["now UTC", /unexpected "UTC"/],
    ["-15min", /cannot read "-15min"/],
    ["-30m1h", /cannot read "-30m1h"/],
    ["2023-02-23T", /cannot read "2023-02-23T"/],
    ["2023-02-23T25:00Z", /hours go up to 23/],
  ])("%j", (input, message) => {
    expect(userError(() => parseWhen(input, utcCtx)).message).toMatch(message);
  });

  it("keeps a message with a newline in the input on one line", () => {
    expect(userError(() => parseWhen("10:05\nnonsense", utcCtx)).message).toMatch(
      /^cannot read "10:05 nonsense" as a time: unknown zone "nonsense"/,
    );
  });
});
