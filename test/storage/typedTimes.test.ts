import { describe, expect, it } from "vitest";
import { openDatabase } from "../../storage/database.ts";
import { MIGRATIONS } from "../../storage/migrations/index.ts";

describe("migration 6: typed times", () => {
  it("marks rows from before it as typed unless their time is when they were recorded", () => {
    const db = openDatabase(":memory:");
    // Back to the timeline as version 5 left it, then migration 6 on its rows.
    db.exec("DROP TABLE timeline_entries");
    db.exec(`CREATE TABLE timeline_entries (
      id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),
      number INTEGER NOT NULL, at INTEGER NOT NULL, text TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('note','declared','status','severity','role','resolved','pin','tag')),
      status TEXT, author_id TEXT NOT NULL, message_id INTEGER REFERENCES messages(id),
      created_at INTEGER NOT NULL, UNIQUE (incident_id, number)) STRICT`);
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
    // Migration 6 alone, as `migrate` applies it (later migrations touch other tables).
    db.transaction(() => db.exec(MIGRATIONS[5]!))();
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
