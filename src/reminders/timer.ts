import type { Clock, Scheduler } from "../clock.ts";
import type { Logger } from "../logging.ts";
import type { Reminder } from "./due.ts";

/**
 * What timers (reminders, the tracker sync) need from a chat front end: post plain text in the
 * incident's own room(s). Each platform posts where the incident has a room on it, and does
 * nothing otherwise. `cardChanged`: what the line reports changed the pinned card too.
 */
export interface IncidentRoomPort {
  postToIncidentRoom(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void>;
}

export interface ReminderTimerOptions {
  /** the reminders due at a time, already recorded as sent (dueReminders) */
  due: (now: number) => Reminder[];
  port: IncidentRoomPort;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  /** how often the database is asked (default 30 s) */
  everyMs?: number;
  posted?: (reminder: Reminder) => void;
  /** how long stop() waits for reminders being posted (default 1 s) */
  stopGraceMs?: number;
}

export interface ReminderTimer {
  /** asks now (also done at start); while one runs, one more follows it, never two at once */
  tick(): Promise<void>;
  /** no more ticks; waits a little for the posts of a running one */
  stop(): Promise<void>;
}

export const REMINDER_TICK_MS = 30_000;

/** Starts ticking at once (a reminder that came due while the bot was down goes out now). */
export function startReminderTimer(o: ReminderTimerOptions): ReminderTimer {
  let running: Promise<void> | undefined;
  let follow: Promise<void> | undefined;
  let stopped = false;

  async function post(reminders: Reminder[]): Promise<void> {
    for (const reminder of reminders) {
      try {
        await o.port.postToIncidentRoom(reminder.incidentId, `⏰ ${reminder.text}`);
        o.posted?.(reminder);
      } catch (error) {
        // Recorded as sent already: lost rather than posted twice (see dueReminders).
        o.log.warn(
          { err: error, incident: reminder.incidentId, kind: reminder.kind },
          "reminder not posted",
        );
      }
    }
  }

  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    // Posting is slow next to a tick: one more tick follows the running one, never a pile-up.
    if (running) {
      follow ??= running.then(() => {
        follow = undefined;
        return tick();
      });
      return follow;
    }
    let reminders: Reminder[];
    try {
      reminders = o.due(o.clock.now());
    } catch (error) {
      // A locked or unreadable database: nothing was recorded, so the next tick tries again.
      o.log.warn({ err: error }, "reminders could not be computed");
      return Promise.resolve();
    }
    if (reminders.length === 0) return Promise.resolve();
    running = post(reminders).finally(() => {
      running = undefined;
    });
    return running;
  }

  const cancel = o.scheduler.every(o.everyMs ?? REMINDER_TICK_MS, () => void tick());
  void tick();
  return {
    tick,
    async stop() {
      stopped = true;
      cancel();
      // Bounded: a platform that does not answer must not hold up the shutdown. What is still
      // being posted then is the adapters' to finish or abandon when they stop.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, o.stopGraceMs ?? 1000);
      });
      try {
        await Promise.race([Promise.all([running, follow]), grace]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
