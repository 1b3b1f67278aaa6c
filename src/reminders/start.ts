import type { Clock, Scheduler } from "../clock.ts";
import type { ReminderStores } from "../incidents/stores.ts";
import type { Logger } from "../logging.ts";
import { dueReminders, type Reminder } from "./due.ts";
import type { ReminderSettings } from "./settings.ts";
import { type IncidentRoomPort, type ReminderTimer, startReminderTimer } from "./timer.ts";

/**
 * Every front end that can post into incident rooms, as one port: each posts where the incident
 * has a room on its platform. One platform failing does not keep the reminder from the others.
 */
export function everyPlatform(
  targets: readonly Partial<IncidentRoomPort>[],
  log: Logger,
): IncidentRoomPort {
  return {
    async postToIncidentRoom(incidentId, text, options) {
      const results = await Promise.allSettled(
        targets.map((t) => t.postToIncidentRoom?.(incidentId, text, options)),
      );
      for (const r of results)
        if (r.status === "rejected")
          log.warn({ err: r.reason, incident: incidentId }, "line not posted on one platform");
    },
  };
}

/** The reminder timer as `hindsight start` runs it; none when HINDSIGHT_REMINDERS is off. */
export function startReminders(o: {
  settings: ReminderSettings;
  repos: ReminderStores;
  port: IncidentRoomPort;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  posted?: (reminder: Reminder) => void;
  everyMs?: number;
  stopGraceMs?: number;
}): ReminderTimer | undefined {
  if (!o.settings.enabled) return undefined;
  return startReminderTimer({
    due: (now) => dueReminders(o.repos, o.settings, now),
    port: o.port,
    clock: o.clock,
    scheduler: o.scheduler,
    log: o.log,
    ...(o.posted ? { posted: o.posted } : {}),
    ...(o.everyMs ? { everyMs: o.everyMs } : {}),
    ...(o.stopGraceMs !== undefined ? { stopGraceMs: o.stopGraceMs } : {}),
  });
}
