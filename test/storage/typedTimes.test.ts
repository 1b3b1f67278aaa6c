import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../../storage/database.ts";
import { MIGRATIONS } from "../../storage/migrations/index.ts";

describe("migration 6: typed times", () => {
  it("marks rows from before it as typed unless their time is when they were recorded", () => {
    // A database as version 5 left it: the first five migrations, none after (later ones,
    // numbered past 6, must not be assumed absent or present here).
    const db = new Database(":memory:");
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration);
    db.pragma("user_version = 5");
    db.exec(
      "INSERT INTO incidents (id, title, status, started_at, declared_at, platform, created_by) VALUES (1, 'x', 'investigating', 100, 500, 'console', 'u')",
    );
    const insert = db.prepare(
      "INSERT INTO timeline_entries (incident_id, number, at, text, kind, author_id, created_at) VALUES (1, ?, ?, ?, ?, 'u', ?)",
    );
    insert.run(1, 100, "declared", "declared", 500); // back-dated declaration
    insert.run(2, 200, "typed 10:05", "note", 900);
    insert.run(3, 900, "stamped now", "note", 900);
    insert.run(4, 950, "role, stamped now", "role", 950);
    insert.run(5, 300, "pinned", "pin", 300);
    migrate(db);
    const rows = db
      .prepare<[], { number: number; typed: number }>(
        "SELECT number, typed FROM timeline_entries ORDER BY number",
      )
      .all();
    expect(rows.map((r) => r.typed)).toEqual([1, 1, 0, 0, 1]);
    // The new kind is accepted now.
    expect(() =>
      db.exec(
        "INSERT INTO timeline_entries (incident_id, number, at, text, kind, author_id, created_at, milestone) VALUES (1, 6, 400, 'm', 'milestone', 'u', 400, 'detected')",
      ),
    ).not.toThrow();
  });
});
