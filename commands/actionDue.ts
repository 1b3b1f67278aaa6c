import { check, dateArg } from "../src/core/args.ts";
import { UserError } from "../src/errors.ts";

const FORMS = "use YYYY-MM-DD, today, tomorrow, +3d or +2w";
const RELATIVE = /^\+(\d{1,4})([dw])$/i;

/** Words that clear a value in `/action edit` (`--owner none`, `--due none`). */
export function isClearing(value: string): boolean {
  return /^(none|nobody|-)$/i.test(value.trim());
}

/**
 * `--due <date>` as a calendar date, YYYY-MM-DD. `today`, `tomorrow`, `+3d` and `+2w` count from
 * the caller's today in their own zone: "tomorrow" typed at 23:30 in Berlin is Berlin's tomorrow,
 * whatever UTC says.
 */
export function parseDue(value: string, at: { now: number; zone: string }): string {
  const typed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) return check(dateArg, typed, "--due");
  const today = calendarDay(at.now, at.zone);
  const word = typed.toLowerCase();
  if (word === "today") return today;
  if (word === "tomorrow") return addDays(today, 1);
  const relative = RELATIVE.exec(typed);
  if (relative) {
    const n = Number(relative[1]);
    return addDays(today, relative[2]!.toLowerCase() === "w" ? n * 7 : n);
  }
  throw new UserError(`--due: "${typed.slice(0, 40)}" is not a date: ${FORMS}`);
}

/** The calendar day (YYYY-MM-DD) it is at `now` in `zone`. */
export function calendarDay(now: number, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
