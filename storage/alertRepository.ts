import type { AlertStore, SeenAlert } from "../src/incidents/stores.ts";
import type { AlertSource } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

/** Alert groups and the alerts seen from them (storage/migrations/009-alerts.ts). */
export function alertRepository(db: Db): AlertStore {
  const groupIncident = db.prepare<[string, string], { incident_id: number }>(
    "SELECT incident_id FROM alert_groups WHERE source = ? AND group_key = ?",
  );
  const bindGroup = db.prepare(
    `INSERT INTO alert_groups (source, group_key, incident_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, group_key) DO UPDATE SET incident_id = excluded.incident_id, updated_at = excluded.updated_at,
       truncated_noted = CASE WHEN incident_id = excluded.incident_id THEN truncated_noted ELSE 0 END`,
  );
  const truncatedNoted = db
    .prepare<[string, string], number>(
      "SELECT truncated_noted FROM alert_groups WHERE source = ? AND group_key = ?",
    )
    .pluck();
  const noteTruncated = db.prepare(
    "UPDATE alert_groups SET truncated_noted = ? WHERE source = ? AND group_key = ?",
  );
  const seen = db.prepare<[string, string, string, number], { found: number }>(
    "SELECT 1 AS found FROM alerts_seen WHERE source = ? AND fingerprint = ? AND state = ? AND at = ?",
  );
  const latest = db.prepare<[string, string], { state: "firing" | "resolved" }>(
    `SELECT state FROM alerts_seen WHERE source = ? AND fingerprint = ?
     ORDER BY received_at DESC, state = 'firing' DESC LIMIT 1`,
  );
  const record = db.prepare(
    `INSERT INTO alerts_seen (source, fingerprint, state, at, incident_id, entry_id, received_at)
     VALUES (@source, @fingerprint, @state, @at, @incidentId, @entryId, @receivedAt)
     ON CONFLICT (source, fingerprint, state, at) DO UPDATE SET incident_id = excluded.incident_id,
       entry_id = excluded.entry_id, received_at = excluded.received_at`,
  );
  return {
    groupIncident: (source: AlertSource, groupKey: string) =>
      groupIncident.get(source, groupKey)?.incident_id,
    bindGroup(source, groupKey, incidentId, at) {
      bindGroup.run(source, groupKey, incidentId, at, at);
    },
    truncatedNoted: (source, groupKey) => truncatedNoted.get(source, groupKey) ?? 0,
    noteTruncated(source, groupKey, count) {
      noteTruncated.run(count, source, groupKey);
    },
    seen: (source, fingerprint, state, at) =>
      seen.get(source, fingerprint, state, at) !== undefined,
    latestState: (source, fingerprint) => latest.get(source, fingerprint)?.state,
    record(alert: SeenAlert) {
      record.run(alert);
    },
  };
}
