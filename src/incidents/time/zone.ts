/** Time zones: fixed offsets and IANA names, with offsets read from Intl. */

/** A zone: a name for messages and the offset (ms to add to UTC for wall-clock time) at an instant. */
export interface Zone {
  name: string;
  offset: (at: number) => number;
}

export function fixedZone(name: string, minutes: number): Zone {
  return { name, offset: () => minutes * 60_000 };
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Offsets come from Intl directly: dayjs's `.tz()` round-trips through the host's local zone, and
 * `dayjs.tz(wallTime, zone)` neither reports a nonexistent time nor takes the first of two
 * ambiguous ones (checked against dayjs 1.11.23: 2023-10-29 02:30 Europe/Berlin gave the CET one).
 */
export function ianaZone(name: string): Zone {
  let format = offsetFormats.get(name);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
    offsetFormats.set(name, format);
  }
  const offsets = format;
  return {
    name,
    offset(at) {
      const label = offsets.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
      const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(label);
      if (!m) throw new Error(`unexpected offset "${label}" for zone ${name}`);
      const ms = (Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
      return m[1] === "-" ? -ms : ms;
    },
  };
}

// Asked for every command (the caller's profile zone): building an Intl formatter costs ~0.1 ms,
// more than the command's own database work, so answers are remembered.
const zoneValidity = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  // Intl also takes offsets such as "+01:00" as a timeZone; those are not IANA names.
  let valid = /^[A-Za-z]/.test(zone);
  if (valid) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone }); // throws RangeError for unknown zones
    } catch {
      valid = false;
    }
  }
  // Bounded: zone strings come from user profiles, so a flood of odd values must not grow it forever.
  if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  return valid;
}
