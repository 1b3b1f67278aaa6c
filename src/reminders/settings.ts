import type { Env } from "../config.ts";

/**
 * Reminder settings as the operator writes them: durations `90s`, `5m`, `1h` (or `off`), and a
 * per-severity cadence `sev1:15m,sev2:30m,sev3:1h,sev4:off`. The parsers throw one readable line,
 * which the configuration schema reports with every other problem.
 */
export interface ReminderSettings {
  /** HINDSIGHT_REMINDERS: false turns every reminder off */
  enabled: boolean;
  /** no commander this long after the declaration; null: never reminded */
  commanderAfterMs: number | null;
  /** no update for this long, by severity 1-4; null: never reminded at that severity */
  updateEveryMs: Record<1 | 2 | 3 | 4, number | null>;
}

export const DEFAULT_COMMANDER_AFTER = "5m";
export const DEFAULT_UPDATE_EVERY = "sev1:15m,sev2:30m,sev3:1h,sev4:off";

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "90s", "5m", "1h" in milliseconds; "off" is null. */
export function parseDuration(value: string): number | null {
  const text = value.trim().toLowerCase();
  if (text === "off") return null;
  const match = /^(\d+)\s*([smh])$/.exec(text);
  if (!match) throw new Error(`"${value}" is not a duration: write it like 90s, 5m or 1h (or off)`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms === 0) throw new Error(`"${value}" is zero: use off to turn it off`);
  return ms;
}

/** "sev1:15m,sev2:30m": severities not named keep their default; "off" turns all off. */
export function parseCadence(value: string): ReminderSettings["updateEveryMs"] {
  if (value.trim().toLowerCase() === "off") return { 1: null, 2: null, 3: null, 4: null };
  const cadence = parseCadenceParts(DEFAULT_UPDATE_EVERY);
  const seen = new Set<number>();
  for (const part of value.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const match = /^sev([1-4])\s*[:=]\s*(.+)$/i.exec(part);
    if (!match) throw new Error(`"${part}" should look like sev1:15m (severities 1 to 4)`);
    const sev = Number(match[1]) as 1 | 2 | 3 | 4;
    if (seen.has(sev)) throw new Error(`sev${sev} is given twice`);
    seen.add(sev);
    cadence[sev] = parseDuration(match[2]!);
  }
  return cadence;
}

function parseCadenceParts(value: string): ReminderSettings["updateEveryMs"] {
  const cadence: ReminderSettings["updateEveryMs"] = { 1: null, 2: null, 3: null, 4: null };
  for (const part of value.split(",")) {
    const [sev, duration] = part.split(":");
    cadence[Number(sev!.slice(3)) as 1 | 2 | 3 | 4] = parseDuration(duration!);
  }
  return cadence;
}

/**
 * An incident declared without a severity is reminded at the SEV3 cadence: quiet enough for the
 * small incidents people leave unrated, and never silent about one nobody is updating.
 */
export const UNRATED_SEVERITY = 3;

export function reminderSettingsFrom(config: Env): ReminderSettings {
  return {
    enabled: config.HINDSIGHT_REMINDERS,
    commanderAfterMs: config.HINDSIGHT_REMIND_COMMANDER_AFTER,
    updateEveryMs: config.HINDSIGHT_REMIND_UPDATE_EVERY,
  };
}
