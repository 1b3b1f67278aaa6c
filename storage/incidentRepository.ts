import type { IncidentStore, NewIncident } from "../src/incidents/stores.ts";
import type { Incident, Role, RoleAssignment, Status } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

interface IncidentRow {
  id: number;
  title: string;
  severity: number | null;
  status: Status;
  started_at: number;
  declared_at: number;
  resolved_at: number | null;
  platform: string;
  created_by: string;
}

const toIncident = (row: IncidentRow): Incident => ({
  id: row.id,
  title: row.title,
  severity: row.severity,
  status: row.status,
  startedAt: row.started_at,
  declaredAt: row.declared_at,
  resolvedAt: row.resolved_at,
  platform: row.platform,
  createdBy: row.created_by,
});

export function incidentRepository(db: Db): IncidentStore {
  const insert = db.prepare(
    `INSERT INTO incidents (title, severity, status, started_at, declared_at, platform, created_by)
     VALUES (@title, @severity, 'investigating', @startedAt, @declaredAt, @platform, @createdBy)`,
  );
  const byId = db.prepare<[number], IncidentRow>("SELECT * FROM incidents WHERE id = ?");
  // Every command and collected message starts here. Written as a subquery, not a join: with
  // SQLite 3.54 (STAT4 build) the join form cost ~10x the two primary-key lookups it needs on
  // each execution (measured with bench/ingest.ts; it was a sixth of /timeline add).
  const byRoom = db.prepare<[string, string], IncidentRow>(
    `SELECT * FROM incidents
     WHERE id = (SELECT incident_id FROM incident_rooms WHERE platform = ? AND room_id = ?)`,
  );
  const open = db.prepare<[], IncidentRow>(
    "SELECT * FROM incidents WHERE status != 'resolved' ORDER BY id DESC",
  );
  const all = db.prepare<[], IncidentRow>("SELECT * FROM incidents ORDER BY id DESC");
  const bind = db.prepare(
    "INSERT OR REPLACE INTO incident_rooms (platform, room_id, incident_id) VALUES (?, ?, ?)",
  );
  const rooms = db.prepare<[number], { platform: string; room_id: string }>(
    "SELECT platform, room_id FROM incident_rooms WHERE incident_id = ? ORDER BY rowid",
  );
  const setStatus = db.prepare("UPDATE incidents SET status = ?, resolved_at = ? WHERE id = ?");
  const setSeverity = db.prepare("UPDATE incidents SET severity = ? WHERE id = ?");
  const setTitle = db.prepare("UPDATE incidents SET title = ? WHERE id = ?");
  const setStartedAt = db.prepare("UPDATE incidents SET started_at = ? WHERE id = ?");
  const setResolvedAt = db.prepare("UPDATE incidents SET resolved_at = ? WHERE id = ?");
  const roleUpsert = db.prepare(
    `INSERT INTO roles (incident_id, role, user_id, user_name) VALUES (?, ?, ?, ?)
     ON CONFLICT (incident_id, role) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name`,
  );
  const rolesOf = db.prepare<[number], { role: Role; user_id: string; user_name: string }>(
    "SELECT role, user_id, user_name FROM roles WHERE incident_id = ? ORDER BY role",
  );
  // Read, not written: next_timeline_number is only a floor that removals raise (timelineRepository
  // `remove`), so adding an entry dirties no incidents page (the commit is a command's largest
  // cost: npm run bench).
  // The max is one step down the (incident_id, number) index. The CAST is for speed, as in
  // timelineRepository's latestTyped: with a bare `incident_id = @id` this took 17 µs instead
  // of 2 on SQLite 3.54 (STAT4 build), as if planned again for every execution.
  // (The id is bound twice, by position: a named parameter costs a lookup by name per run.)
  const nextTimeline = db
    .prepare<[number, number], number>(
      `SELECT max(next_timeline_number,
                  coalesce((SELECT max(number) FROM timeline_entries
                             WHERE incident_id = CAST(? AS INTEGER)), 0) + 1)
         FROM incidents WHERE id = ?`,
    )
    .pluck();
  const nextAction = db.prepare<[number], { n: number }>(
    "UPDATE incidents SET next_action_number = next_action_number + 1 WHERE id = ? RETURNING next_action_number - 1 AS n",
  );
  const countOpen = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM incidents WHERE status != 'resolved'",
  );

  return {
    declare(incident: NewIncident): Incident {
      const id = Number(insert.run(incident).lastInsertRowid);
      return toIncident(byId.get(id)!);
    },
    get(id: number): Incident | undefined {
      const row = byId.get(id);
      return row && toIncident(row);
    },
    findByRoom(platform: string, roomId: string): Incident | undefined {
      const row = byRoom.get(platform, roomId);
      return row && toIncident(row);
    },
    list(options: { all: boolean }): Incident[] {
      return (options.all ? all : open).all().map(toIncident);
    },
    countOpen: (): number => countOpen.get()!.n,
    bindRoom(incidentId: number, platform: string, roomId: string): void {
      bind.run(platform, roomId, incidentId);
    },
    rooms(incidentId: number): { platform: string; roomId: string }[] {
      return rooms.all(incidentId).map((r) => ({ platform: r.platform, roomId: r.room_id }));
    },
    setStatus(id: number, status: Status, resolvedAt: number | null): void {
      setStatus.run(status, resolvedAt, id);
    },
    setStartedAt(id: number, at: number): void {
      setStartedAt.run(at, id);
    },
    setResolvedAt(id: number, at: number): void {
      setResolvedAt.run(at, id);
    },
    setSeverity(id: number, severity: number): void {
      setSeverity.run(severity, id);
    },
    setTitle(id: number, title: string): void {
      setTitle.run(title, id);
    },
    assignRole(id: number, role: Role, userId: string, userName: string): void {
      roleUpsert.run(id, role, userId, userName);
    },
    roles(id: number): RoleAssignment[] {
      return rolesOf
        .all(id)
        .map((r) => ({ role: r.role, userId: r.user_id, userName: r.user_name }));
    },
    nextTimelineNumber: (id: number): number => nextTimeline.get(id, id)!,
    takeActionNumber: (id: number): number => nextAction.get(id)!.n,
  };
}
