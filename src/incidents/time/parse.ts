/**
 * `<when>`: the times users type in chat (the README's command reference), read into ms since the
 * epoch (UTC). Everything here is pure: "now", the caller's zone and the incident's latest
 * timeline entry come in through WhenContext.
 */
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import { UserError } from "../../errors.ts";
import { formatUtc } from "./format.ts";
import { fixedZone, ianaZone, isValidZone, type Zone } from "./zone.ts";

dayjs.extend(utc);

export interface WhenContext {
  /** ms since epoch, UTC: the time of the chat message. */
  now: number;
  /** IANA zone for input without a zone. */
  zone: string;
  /**
   * ms: set for an incident being written up, its latest typed time; a bare time of day is then
   * its occurrence nearest the anchor. Absent (live, or no incident): the most recent occurrence.
   */
  anchor?: number;
}

/** Chat clients and servers disagree by a few seconds; a time this far ahead of "now" is fine. */
const SKEW_MS = 60_000;
const DAY_MS = 86_400_000;
const USAGE =
  "Use HH:MM, YYYY-MM-DD HH:MM, ISO 8601, or -15m / -2h, optionally followed by a zone (UTC, Europe/Berlin, CET…).";
const ZONE_USAGE =
  "Use UTC, an offset like +01:00, an IANA name like Europe/Berlin, or CET CEST BST EST EDT PST PDT IST.";

/**
 * Abbreviations are FIXED offsets, not zones: "10:05 CEST" means +02:00 whatever the date, which
 * is what someone who types it means. IST is India Standard Time (+05:30), not Israel or Irish
 * Standard Time: the reading on-call rotations spanning India overwhelmingly mean.
 */
const ABBREVIATIONS: Record<string, number> = {
  utc: 0,
  gmt: 0,
  z: 0,
  cet: 60,
  cest: 120,
  bst: 60,
  est: -300,
  edt: -240,
  pst: -480,
  pdt: -420,
  ist: 330,
};

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?(z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})t(.+)$/i;
const RELATIVE = /^([+-])(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;
const OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;
/** What a leading token of /timeline add text must look like to be read as a time at all. */
const TIME_LIKE = /^(?:\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|[-+](?:\d+[dhms])+$)/i;
/** A token that is clearly meant as an IANA zone (so a typo in it is an error, not text). */
const IANA_LIKE =
  /^(?:africa|america|antarctica|arctic|asia|atlantic|australia|europe|indian|pacific|etc)\//i;

/**
 * A token as a zone, or undefined if it is not one. `strict` (leading text of a timeline entry)
 * takes only names with a slash besides abbreviations and offsets, so "10:05 Japan team paged"
 * keeps "Japan" as text although Intl knows it as a legacy zone name; it throws only for a token
 * that clearly tries to be a zone ("Europe/Brelin" does, "Mars/Olympus" stays text).
 */
function readZone(token: string, quoted: string, strict: boolean): Zone | undefined {
  // In running text an abbreviation must be written as one: "10:05 ist der Server weg" (German)
  // and "10:05 est tombé" (French) are words, not India or New York time.
  const abbreviation =
    strict && token !== token.toUpperCase() ? undefined : ABBREVIATIONS[token.toLowerCase()];
  if (abbreviation !== undefined) return fixedZone(token.toUpperCase(), abbreviation);
  // In running text only "+01:00" counts: "10:05 +1200 errors" is more likely a count than +12:00.
  const offset = strict && !token.includes(":") ? null : OFFSET.exec(token);
  if (offset) {
    const [hours, minutes] = [Number(offset[2]), Number(offset[3] ?? 0)];
    if (hours > 14 || minutes > 59) throw bad(quoted, `"${token}" is not a UTC offset`, ZONE_USAGE);
    return fixedZone(token, (offset[1] === "-" ? -1 : 1) * (hours * 60 + minutes));
  }
  if ((!strict || token.includes("/")) && isValidZone(token)) return ianaZone(token);
  if (!strict || IANA_LIKE.test(token)) throw bad(quoted, `unknown zone "${token}"`, ZONE_USAGE);
  return undefined;
}

const MAX_RELATIVE_MS = 366 * 24 * 60 * 60 * 1000;

function bad(quoted: string, reason?: string, usage: string = USAGE): UserError {
  const what = quoted.trim() === "" ? "no time given" : `cannot read "${quoted}" as a time`;
  return new UserError(`${what}${reason ? `: ${reason}` : ""}. ${usage}`.replace(/\s+/g, " "));
}

interface Clock {
  ms: number;
  zone: Zone | undefined;
}

/** HH:MM[:SS[.sss]][Z|±HH:MM] as ms into the day, or undefined if the token is not shaped so. */
function readClock(token: string, quoted: string): Clock | undefined {
  const m = CLOCK.exec(token);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23) throw bad(quoted, "hours go up to 23");
  if (min > 59) throw bad(quoted, "minutes go up to 59");
  if (s > 59) throw bad(quoted, "seconds go up to 59");
  const fraction = Number((m[4] ?? "").padEnd(3, "0"));
  const zone = m[5] === undefined ? undefined : readZone(m[5], quoted, false);
  return { ms: ((h * 60 + min) * 60 + s) * 1000 + fraction, zone };
}

/** YYYY-MM-DD as the ms of its midnight in UTC, the "wall clock" frame used below. */
function readDate(token: string, quoted: string): number {
  const m = DATE.exec(token);
  if (!m) throw bad(quoted);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970) throw bad(quoted, "years start at 1970");
  if (mo < 1 || mo > 12) throw bad(quoted, "months go from 01 to 12");
  const month = dayjs.utc(Date.UTC(y, mo - 1, 1));
  if (d < 1 || d > month.daysInMonth()) {
    throw bad(
      quoted,
      `${token} is not a date (${month.format("MMMM YYYY")} has ${month.daysInMonth()} days)`,
    );
  }
  return month.date(d).valueOf();
}

interface Resolved {
  at: number;
  /** The wall-clock time falls in a DST gap; `at` is where it would be without the jump. */
  skipped: boolean;
}

/**
 * A wall-clock time (ms, in the UTC frame) in a zone as an instant. Around a DST change the zone
 * has two offsets; each gives a candidate, kept if the zone really has that offset then. None
 * kept: the time was skipped (spring forward). Two kept: it happened twice (fall back), and we
 * take the first occurrence (the earlier, still on summer time), as the on-call engineer living
 * through the incident saw that 02:30 first.
 */
function resolveWall(zone: Zone, wall: number): Resolved {
  const before = zone.offset(wall - DAY_MS);
  const offsets = new Set([before, zone.offset(wall + DAY_MS)]);
  const hits = [...offsets].map((o) => wall - o).filter((at) => at + zone.offset(at) === wall);
  if (hits.length === 0) return { at: wall - before, skipped: true };
  return { at: Math.min(...hits), skipped: false };
}

function skippedError(quoted: string, zone: Zone, at: number): UserError {
  const wall = dayjs.utc(at + zone.offset(at - DAY_MS)).format("YYYY-MM-DD HH:mm");
  const gap = (zone.offset(at + DAY_MS) - zone.offset(at - DAY_MS)) / 60_000;
  const reason = `${wall} does not exist in ${zone.name}, whose clocks jump forward ${gap} minutes then`;
  return bad(quoted, reason, "Use a time before or after the jump, or give an offset.");
}

/**
 * A time of day without a date: its occurrence nearest to the anchor (a write-up's latest typed
 * time) among those not in the future; with no anchor (live), nearest to now, i.e. the most
 * recent one. A tie
 * (exactly 12 h either side) goes to the later one: timelines mostly grow forwards.
 */
function nearestOccurrence(zone: Zone, timeOfDay: number, ctx: WhenContext, quoted: string) {
  const ref = ctx.anchor ?? ctx.now;
  const refDay = dayjs.utc(ref + zone.offset(ref)).startOf("day");
  let best: Resolved | undefined;
  for (const days of [-1, 0, 1]) {
    const candidate = resolveWall(zone, refDay.add(days, "day").valueOf() + timeOfDay);
    if (candidate.at > ctx.now + SKEW_MS) continue;
    if (!best || Math.abs(candidate.at - ref) <= Math.abs(best.at - ref)) best = candidate;
  }
  if (!best) throw bad(quoted, "it is in the future");
  if (best.skipped) throw skippedError(quoted, zone, best.at);
  return best.at;
}

/**
 * Reads a `<when>` from the start of `tokens` and says how many it used. `strict` (leading text
 * of a timeline entry) is wary of taking the token after the time as a zone; otherwise a token
 * there must be a zone.
 */
function readTokens(tokens: string[], ctx: WhenContext, strict: boolean) {
  const first = tokens[0] ?? "";
  const quoted = (n: number) => (strict ? tokens.slice(0, n) : tokens).join(" ");
  if (/^now$/i.test(first)) return { at: ctx.now, used: 1 };
  const relative = RELATIVE.exec(first);
  if (relative) {
    if (relative[1] === "+") throw bad(quoted(1), "relative times count back from now, e.g. -15m");
    const [d = 0, h = 0, m = 0, s = 0] = relative.slice(2).map((n) => Number(n ?? 0));
    const back = (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
    // Bounded like absolute dates: "-999999999d" is not a moment anyone can log.
    if (!(back <= MAX_RELATIVE_MS)) {
      throw bad(quoted(1), "relative times reach back at most 366 days; give a date instead");
    }
    return { at: ctx.now - back, used: 1 };
  }
  let date: number | undefined;
  let clockToken = first;
  let used = 1;
  const dateTime = DATE_TIME.exec(first);
  if (dateTime) {
    date = readDate(dateTime[1] ?? "", quoted(1));
    clockToken = dateTime[2] ?? "";
  } else if (DATE.test(first)) {
    date = readDate(first, quoted(2));
    clockToken = tokens[1] ?? "";
    used = 2;
    if (!CLOCK.test(clockToken))
      throw bad(quoted(2), `${first} needs a time of day, e.g. ${first} 10:05`);
  }
  const clock = readClock(clockToken, quoted(used));
  if (!clock) throw bad(quoted(used));
  let zone = clock.zone;
  const next = tokens[used];
  if (!zone && next !== undefined) {
    zone = readZone(next, quoted(used + 1), strict);
    if (zone) used++;
  }
  zone ??= ianaZone(ctx.zone);
  if (date === undefined) return { at: nearestOccurrence(zone, clock.ms, ctx, quoted(used)), used };
  const resolved = resolveWall(zone, date + clock.ms);
  if (resolved.skipped) throw skippedError(quoted(used), zone, resolved.at);
  if (resolved.at > ctx.now + SKEW_MS) {
    throw new UserError(`"${quoted(used)}" is ${formatUtc(resolved.at)}, which is in the future.`);
  }
  return { at: resolved.at, used };
}

export function parseWhen(input: string, ctx: WhenContext): number {
  const tokens = input.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw bad("");
  const { at, used } = readTokens(tokens, ctx, false);
  if (used < tokens.length) throw bad(tokens.join(" "), `unexpected "${tokens[used]}"`);
  return at;
}

/**
 * For `/timeline add [<when>] <text>`. A bare leading "now" stays text ("now rolling back"). A
 * leading "+15m" is an error rather than text: whoever typed it meant a time, and a future one. A quoted leading string is a
 * time only if its first word looks like one (`"Deploy" done` is text).
 */
export function splitLeadingWhen(
  text: string,
  ctx: WhenContext,
): { at: number | undefined; rest: string } {
  const body = text.trimStart();
  const offset = text.length - body.length;
  if (body.startsWith('"')) {
    const close = body.indexOf('"', 1);
    const inner = close < 0 ? "" : body.slice(1, close);
    const first = inner.trim().split(/\s+/)[0] ?? "";
    if (!TIME_LIKE.test(first) && !RELATIVE.test(first) && !/^now$/i.test(first)) {
      return { at: undefined, rest: text };
    }
    return { at: parseWhen(inner, ctx), rest: body.slice(close + 1).trimStart() };
  }
  // Most entries start with a word, not a time: that is decided on the first word alone.
  if (!TIME_LIKE.test(/^\S*/.exec(body)![0])) return { at: undefined, rest: text };
  const matches: RegExpExecArray[] = [];
  for (const m of body.matchAll(/\S+/g)) if (matches.push(m) === 4) break;
  const tokens = matches.map((m) => m[0]);
  const { at, used } = readTokens(tokens, ctx, true);
  const last = matches[used - 1];
  const end = last ? last.index + last[0].length : 0;
  return { at, rest: text.slice(offset + end).trimStart() };
}
