import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import { describe, expect, it } from "vitest";
import { formatUtc, formatUtcTime } from "../../src/incidents/time/format.ts";
import { parseWhen, splitLeadingWhen } from "../../src/incidents/time/parse.ts";
import { isValidZone } from "../../src/incidents/time/zone.ts";
import { berlin, t, userError, utcCtx } from "./whenFixtures.ts";

dayjs.extend(utc);

describe("splitLeadingWhen", () => {
  it.each([
    ["10:05 Deploy started", "2023-02-23T10:05:00Z", "Deploy started"],
    ["10:05:30 Deploy started", "2023-02-23T10:05:30Z", "Deploy started"],
    ["10:05 UTC Deploy started", "2023-02-23T10:05:00Z", "Deploy started"],
    ["10:05 CET Deploy started", "2023-02-23T09:05:00Z", "Deploy started"],
    ["10:05 +01:00 Deploy started", "2023-02-23T09:05:00Z", "Deploy started"],
    ["10:05 Europe/Berlin Deploy started", "2023-02-23T09:05:00Z", "Deploy started"],
    ["2023-02-22 10:05 Deploy started", "2023-02-22T10:05:00Z", "Deploy started"],
    ["2023-02-22 10:05 Europe/Berlin Deploy started", "2023-02-22T09:05:00Z", "Deploy started"],
    ["2023-02-22T10:05Z  rollback  **done**", "2023-02-22T10:05:00Z", "rollback  **done**"],
    ["-15m paged on-call", "2023-02-23T11:45:00Z", "paged on-call"],
    ["-1h30m paged on-call", "2023-02-23T10:30:00Z", "paged on-call"],
    ['"2023-02-22 10:05 UTC" Deploy started', "2023-02-22T10:05:00Z", "Deploy started"],
    ['"10:05" "quoted" text', "2023-02-23T10:05:00Z", '"quoted" text'],
    ['"now" rolled back', "2023-02-23T12:00:00Z", "rolled back"],
    ["10:05", "2023-02-23T10:05:00Z", ""],
    ["10:05\n- first\n- second", "2023-02-23T10:05:00Z", "- first\n- second"],
    [
      '10:05 `kubectl rollout undo` — see [runbook](https://x.y/a_b) "ok" :fire:',
      "2023-02-23T10:05:00Z",
      '`kubectl rollout undo` — see [runbook](https://x.y/a_b) "ok" :fire:',
    ],
    ["10:05 Japan team paged", "2023-02-23T10:05:00Z", "Japan team paged"],
    ["10:05 Mars/Olympus text", "2023-02-23T10:05:00Z", "Mars/Olympus text"],
    ["10:05 +1200 errors/s", "2023-02-23T10:05:00Z", "+1200 errors/s"],
    ["10:05 UTC: done", "2023-02-23T10:05:00Z", "UTC: done"],
    ["10:05 est. 500 users", "2023-02-23T10:05:00Z", "est. 500 users"],
  ])("%j → %s, %j", (text, at, rest) => {
    expect(splitLeadingWhen(text, utcCtx)).toEqual({ at: t(at), rest });
  });

  it("reads a leading time near the anchor, in the context zone", () => {
    const ctx = { now: t("2023-02-24T00:20:00Z"), zone: "UTC", anchor: t("2023-02-23T23:50:00Z") };
    expect(splitLeadingWhen("00:05 recovered", ctx)).toEqual({
      at: t("2023-02-24T00:05:00Z"),
      rest: "recovered",
    });
    expect(splitLeadingWhen("10:05 x", berlin)).toEqual({
      at: t("2023-02-23T09:05:00Z"),
      rest: "x",
    });
  });

  it.each([
    "5 users affected",
    "Deploy started",
    "now rolling back",
    "-2 pods crashlooping",
    '"Deploy" was pushed',
    '"unterminated 10:05',
    "1:1 with the vendor",
    "16:9 screenshots attached",
    "**10:05** bold",
    "",
  ])("%j has no leading time", (text) => {
    expect(splitLeadingWhen(text, utcCtx)).toEqual({ at: undefined, rest: text });
  });

  it.each([
    ["25:99 text", /hours go up to 23/],
    ["10:60 text", /minutes go up to 59/],
    ["2023-02-30 10:00 text", /2023-02-30 is not a date/],
    ["2023-02-23 release tagged", /needs a time of day/],
    ["10:05 Europe/Brelin text", /unknown zone "Europe\/Brelin"/],
    ["10:05, deploy", /cannot read "10:05,"/],
    ["2023-02-23 12:30 deploy", /is in the future/],
    ['"25:00" text', /hours go up to 23/],
    ['"10:05 Mars/Base" text', /unknown zone/],
    ['"+15m" text', /count back from now/],
    ["+15m users affected", /count back from now/],
    ["2023-03-26 02:30 Europe/Berlin text", /does not exist/],
  ])("%j is an error", (text, message) => {
    expect(userError(() => splitLeadingWhen(text, utcCtx)).message).toMatch(message);
  });
});

describe("formatting", () => {
  it.each([
    ["2023-02-23T10:05:00Z", "2023-02-23 10:05 UTC", "10:05"],
    ["2023-02-23T10:05:07Z", "2023-02-23 10:05:07 UTC", "10:05"],
    ["2023-02-23T10:05:00.250Z", "2023-02-23 10:05 UTC", "10:05"],
    ["2023-12-31T23:59:59Z", "2023-12-31 23:59:59 UTC", "23:59"],
    ["2024-01-01T00:00:00Z", "2024-01-01 00:00 UTC", "00:00"],
  ])("%s → %s / %s", (iso, full, time) => {
    expect(formatUtc(t(iso))).toBe(full);
    expect(formatUtcTime(t(iso))).toBe(time);
  });

  it("formats like dayjs across the calendar, years 0 to 9999 and beyond", () => {
    // the fast path slices the ISO form; dayjs is the reference it must agree with
    const reference = (at: number) => {
      const d = dayjs.utc(at);
      return `${d.format(d.second() === 0 ? "YYYY-MM-DD HH:mm" : "YYYY-MM-DD HH:mm:ss")} UTC`;
    };
    const samples = [
      Date.UTC(2023, 1, 23, 10, 5),
      Date.UTC(2023, 1, 23, 10, 5, 30, 999),
      Date.UTC(2024, 1, 29, 23, 59, 59),
      Date.UTC(1999, 11, 31, 23, 59),
      new Date(0).setUTCFullYear(1, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59),
      Date.UTC(10000, 0, 1, 0, 0, 1),
    ];
    for (let at = Date.UTC(2020, 0, 1); at < Date.UTC(2030, 0, 1); at += 7_654_321_987)
      samples.push(at);
    for (const at of samples) {
      expect(formatUtc(at)).toBe(reference(at));
      expect(formatUtcTime(at)).toBe(dayjs.utc(at).format("HH:mm"));
    }
  });

  it("echoes a parsed zone time in UTC", () => {
    expect(formatUtc(parseWhen("2023-02-22 10:05 IST", utcCtx))).toBe("2023-02-22 04:35 UTC");
  });
});

describe("isValidZone", () => {
  it.each([
    ["Europe/Berlin", true],
    ["UTC", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Asia/Kolkata", true],
    ["europe/berlin", true],
    ["Mars/Base", false],
    ["Europe/Brelin", false],
    ["", false],
    ["+01:00", false],
    ["-05:00", false],
  ])("%j → %s", (zone, valid) => {
    expect(isValidZone(zone)).toBe(valid);
  });
});

describe("running text after a leading time", () => {
  it.each([
    ["10:05 ist der Server ausgefallen", "ist der Server ausgefallen"],
    ["10:05 est tombé en panne", "est tombé en panne"],
    ["10:05 cet incident a commencé", "cet incident a commencé"],
  ])("%j keeps a lower-case word that spells a zone abbreviation as text", (text, rest) => {
    const split = splitLeadingWhen(text, berlin);
    expect(split.rest).toBe(rest);
    expect(split.at).toBe(t("2023-02-23T09:05:00Z"));
  });

  it("still reads an abbreviation written in capitals", () => {
    expect(splitLeadingWhen("10:05 IST paged", utcCtx)).toEqual({
      at: t("2023-02-23T04:35:00Z"),
      rest: "paged",
    });
  });
});

describe("relative times are bounded", () => {
  it.each(["-999999999d", "-367d"])("%s is refused", (input) => {
    expect(userError(() => parseWhen(input, utcCtx)).message).toMatch(/at most 366 days/);
    expect(userError(() => splitLeadingWhen(`${input} text`, utcCtx)).message).toMatch(/366/);
  });

  it("-366d is a year back", () => {
    expect(parseWhen("-366d", utcCtx)).toBe(t("2022-02-22T12:00:00Z"));
  });
});
