import type { AuditLog, AuditRow } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Who changed what, before and after (JSON), for corrections and removals. */
export function auditRepository(db: Db): AuditLog {
  const audit = db.prepare(
    `INSERT INTO audit_log (incident_id, at, actor_id, action, entity, entity_id, before, after)
     VALUES (@incidentId, @at, @actorId, @action, @entity, @entityId, @before, @after)`,
  );
  const auditOf = db.prepare<[number], AuditRow>(
    "SELECT at, actor_id, action, entity, entity_id, before, after FROM audit_log WHERE incident_id = ? ORDER BY id",
  );
  return {
    write(entry) {
      audit.run({
        ...entry,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      });
    },
    of: (incidentId) => auditOf.all(incidentId),
  };
}
