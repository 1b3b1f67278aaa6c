import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);

/** Years 0–9999 have a plain `YYYY-MM-DDTHH:mm:ss.sssZ` ISO form; dayjs formats the rest. */
const PLAIN_ISO_FROM = new Date(0).setUTCFullYear(0, 0, 1);
const PLAIN_ISO_UNTIL = Date.UTC(10000, 0, 1);

/**
 * "2023-02-23 10:05 UTC", with ":SS" only when the seconds are not zero. Every reply echoes a
 * time this way; slicing the ISO form costs a tenth of a dayjs format (bench/slack.ts profile).
 */
export function formatUtc(at: number): string {
  if (!(at >= PLAIN_ISO_FROM && at < PLAIN_ISO_UNTIL)) {
    const time = dayjs.utc(at);
    return `${time.format(time.second() === 0 ? "YYYY-MM-DD HH:mm" : "YYYY-MM-DD HH:mm:ss")} UTC`;
  }
  const iso = new Date(at).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds === "00" ? 16 : 19)} UTC`;
}

/** "HH:MM" in UTC. */
export function formatUtcTime(at: number): string {
  if (!(at >= PLAIN_ISO_FROM && at < PLAIN_ISO_UNTIL)) return dayjs.utc(at).format("HH:mm");
  return new Date(at).toISOString().slice(11, 16);
}
