import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);

/** "2023-02-23 10:05 UTC", with ":SS" only when the seconds are not zero. */
export function formatUtc(at: number): string {
  const time = dayjs.utc(at);
  return `${time.format(time.second() === 0 ? "YYYY-MM-DD HH:mm" : "YYYY-MM-DD HH:mm:ss")} UTC`;
}

/** "HH:MM" in UTC. */
export function formatUtcTime(at: number): string {
  return dayjs.utc(at).format("HH:mm");
}
