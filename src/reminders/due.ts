import type { ReminderStores } from "../incidents/stores.ts";
import type { ReminderKind } from "../incidents/types.ts";
import { dueCandidates } from "./rules.ts";
import type { ReminderSettings } from "./settings.ts";

/** A reminder to post now in the incident's room(s). */
export interface Reminder {
  incidentId: number;
  kind: ReminderKind;
  text: string;
}

/**
 * The reminders to post at `now`, each already recorded as sent. Deciding and recording happen in
 * one IMMEDIATE transaction: a second process on the same database waits for it and then finds
 * them recorded, and a restart never posts one twice. A post that fails after this is lost rather
 * than repeated: a reminder is a nudge, a duplicate is noise.
 */
export function dueReminders(
  repos: ReminderStores,
  settings: ReminderSettings,
  now: number,
): Reminder[] {
  if (!settings.enabled) return [];
  return repos.transaction(() =>
    dueCandidates(repos, settings, now)
      .filter((c) => repos.reminders.claim(c.incidentId, c.kind, c.occurrence, now, c.text))
      .map(({ incidentId, kind, text }) => ({ incidentId, kind, text })),
  );
}
