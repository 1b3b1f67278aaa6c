import type { OverdueItem, ReminderStore } from "../src/incidents/stores.ts";
import type { ReminderKind } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

export type { OverdueItem };

/**
 * What reminders are computed from, and the record of those already posted. The timer asks every
 * 30 seconds: the per-incident queries use indexes; the overdue one reads action_items whole,
 * a table of a few rows per incident.
 */
export function reminderRepository(db: Db): ReminderStore {
  const claim = db.prepare(
    `INSERT INTO reminders_sent (incident_id, kind, occurrence, sent_at, text) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const sent = db.prepare<[number], { kind: ReminderKind; occurrence: string; text: string }>(
    "SELECT kind, occurrence, text FROM reminders_sent WHERE incident_id = ? ORDER BY sent_at",
  );
  const latestTimeline = db.prepare<[number], { at: number | null }>(
    "SELECT max(at) AS at FROM timeline_entries WHERE incident_id = ?",
  );
  const latestMessage = db.prepare<[number], { at: number | null }>(
    "SELECT max(at) AS at FROM messages WHERE incident_id = ?",
  );
  const latestUpdate = db.prepare<[number], { at: number | null }>(
    "SELECT max(at) AS at FROM incident_updates WHERE incident_id = ?",
  );
  const latestSeverity = db.prepare<[number], { at: number | null }>(
    "SELECT max(created_at) AS at FROM timeline_entries WHERE incident_id = ? AND kind = 'severity'",
  );
  const resolvedSince = db.prepare<[number], { incident_id: number; entry: number }>(
    `SELECT incident_id, max(id) AS entry FROM timeline_entries
     WHERE kind = 'resolved' AND created_at >= ? GROUP BY incident_id ORDER BY incident_id`,
  );
  const overdue = db.prepare<[string], ActionRow>(
    `SELECT incident_id, number, text, owner, due FROM action_items
     WHERE done_at IS NULL AND due IS NOT NULL AND due < ? ORDER BY incident_id, number`,
  );

  return {
    /** Records a reminder as posted; false when it was already (by this process or another). */
    claim: (incidentId: number, kind: ReminderKind, occurrence: string, at: number, text: string) =>
      claim.run(incidentId, kind, occurrence, at, text).changes === 1,
    sent: (incidentId: number) => sent.all(incidentId),
    /** The latest time anything happened in the incident: timeline, messages, updates. */
    latestActivity(incidentId: number): number | undefined {
      const times = [latestTimeline, latestMessage, latestUpdate]
        .map((q) => q.get(incidentId)?.at ?? null)
        .filter((t) => t !== null);
      return times.length === 0 ? undefined : Math.max(...times);
    },
    latestUpdateAt: (incidentId: number): number | undefined =>
      latestUpdate.get(incidentId)?.at ?? undefined,
    /** When the severity was last changed (recorded, not the `--at` it was given). */
    latestSeverityChangeAt: (incidentId: number): number | undefined =>
      latestSeverity.get(incidentId)?.at ?? undefined,
    /** Incidents resolved (recorded) since `since`, with the id of their latest resolution. */
    resolvedSince: (since: number): { incidentId: number; entryId: number }[] =>
      resolvedSince.all(since).map((r) => ({ incidentId: r.incident_id, entryId: r.entry })),
    /** Open action items whose due date (YYYY-MM-DD) is before `today`, by incident. */
    overdue: (today: string): OverdueItem[] =>
      overdue.all(today).map((r) => ({
        incidentId: r.incident_id,
        number: r.number,
        text: r.text,
        owner: r.owner,
        due: r.due,
      })),
  };
}

interface ActionRow {
  incident_id: number;
  number: number;
  text: string;
  owner: string | null;
  due: string | null;
}

export type ReminderRepository = ReturnType<typeof reminderRepository>;
