import { actionRepository } from "./actionRepository.ts";
import type { Db } from "./database.ts";
import { incidentRepository } from "./incidentRepository.ts";
import { messageRepository } from "./messageRepository.ts";
import { reminderRepository } from "./reminderRepository.ts";
import { sectionRepository } from "./sectionRepository.ts";
import { stateRepository } from "./stateRepository.ts";
import { timelineRepository } from "./timelineRepository.ts";
import { updateRepository } from "./updateRepository.ts";

/** All repositories over one handle; statements are prepared once, here. */
export function createRepositories(db: Db) {
  return {
    db,
    incidents: incidentRepository(db),
    timeline: timelineRepository(db),
    actions: actionRepository(db),
    sections: sectionRepository(db),
    messages: messageRepository(db),
    state: stateRepository(db),
    updates: updateRepository(db),
    reminders: reminderRepository(db),
    /** Runs fn in one IMMEDIATE transaction: all of a command's writes land, or none. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
