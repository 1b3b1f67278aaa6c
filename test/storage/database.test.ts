import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, schemaVersion } from "../../storage/database.ts";
import { MIGRATIONS } from "../../storage/migrations/index.ts";
import { createRepositories } from "../../storage/repositories.ts";

/** Any incident will do for these storage tests. */
const AN_INCIDENT = {
  title: "x",
  severity: null,
  startedAt: 1,
  declaredAt: 1,
  platform: "console",
  createdBy: "me",
};

describe("database", () => {
  it("applies every migration and records the version", () => {
    const db = openDatabase(":memory:");
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
  });

  it("uses WAL on a file and reopens without migrating again", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hindsight-db-")), "nested", "h.db");
    const first = openDatabase(file);
    expect(first.pragma("journal_mode", { simple: true })).toBe("wal");
    createRepositories(first).incidents.declare(AN_INCIDENT);
    first.close();
    const again = openDatabase(file);
    expect(createRepositories(again).incidents.get(1)?.title).toBe("x");
    again.close();
  });

  it("refuses a database written by a newer Hindsight", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hindsight-db-")), "h.db");
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this Hindsight/);
  });

  it("rejects wrong types instead of coercing them (STRICT tables)", () => {
    const db = openDatabase(":memory:");
    expect(() =>
      db
        .prepare(
          "INSERT INTO incidents (title, status, started_at, declared_at, platform, created_by) VALUES ('x', 'investigating', 'noon', 1, 'c', 'u')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it("rolls back every write of a failed transaction", () => {
    const repos = createRepositories(openDatabase(":memory:"));
    expect(() =>
      repos.transaction(() => {
        repos.incidents.declare(AN_INCIDENT);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(repos.incidents.list({ all: true })).toEqual([]);
  });

  it("never reuses a display number after a removal", () => {
    const repos = createRepositories(openDatabase(":memory:"));
    const incident = repos.incidents.declare(AN_INCIDENT);
    const add = () => {
      const number = repos.incidents.nextTimelineNumber(incident.id);
      repos.timeline.append({
        incidentId: incident.id,
        number,
        at: 1,
        text: `entry ${number}`,
        kind: "note",
        authorId: "u",
        createdAt: 1,
        typed: false,
      });
      return number;
    };
    const remove = (number: number) => {
      const entry = repos.timeline.get(incident.id, number)!;
      repos.timeline.remove(entry.id);
    };
    expect([add(), add(), add()]).toEqual([1, 2, 3]);
    remove(3); // the highest
    expect(add()).toBe(4);
    remove(2); // one in the middle
    remove(4);
    remove(1);
    expect(add()).toBe(5);
    expect(repos.incidents.takeActionNumber(incident.id)).toBe(1);
  });
});
