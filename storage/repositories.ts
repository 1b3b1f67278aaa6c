import type { ReminderStore, Stores } from "../src/incidents/stores.ts";
import { actionRepository } from "./actionRepository.ts";
import { alertRepository } from "./alertRepository.ts";
import { auditRepository } from "./auditRepository.ts";
import type { Db } from "./database.ts";
import { eventRepository } from "./eventRepository.ts";
import { incidentRepository } from "./incidentRepository.ts";
import { kvRepository } from "./kvRepository.ts";
import { messageRepository } from "./messageRepository.ts";
import { pinRepository } from "./pinRepository.ts";
import { reminderRepository } from "./reminderRepository.ts";
import { sectionRepository } from "./sectionRepository.ts";
import { timelineRepository } from "./timelineRepository.ts";
import { updateRepository } from "./updateRepository.ts";

/** Every store over one handle; statements are prepared once, here. */
export function createRepositories(db: Db): Repositories {
  const inTransaction = db.transaction((fn: () => unknown) => fn());
  return {
    db,
    incidents: incidentRepository(db),
    timeline: timelineRepository(db),
    actions: actionRepository(db),
    sections: sectionRepository(db),
    messages: messageRepository(db),
    events: eventRepository(db),
    kv: kvRepository(db),
    pins: pinRepository(db),
    audit: auditRepository(db),
    updates: updateRepository(db),
    alerts: alertRepository(db),
    reminders: reminderRepository(db),
    // One wrapper for every transaction: better-sqlite3 builds a wrapper's begin/commit/savepoint
    // machinery each time db.transaction() is called, a measurable part of every command.
    transaction<T>(fn: () => T): T {
      return inTransaction.immediate(fn) as T;
    },
  };
}

/** The stores plus the handle, for the composition root, metrics and tests. */
export interface Repositories extends Stores {
  db: Db;
  /** sent reminders (the reminder timer's own state) */
  reminders: ReminderStore;
}
