import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../storage/migrations/index.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "hindsight-readonly-"));
// Another user must be able to reach the files (see asUser below).
chmodSync(root, 0o755);
afterAll(() => {
  chmodSync(join(root, "mount"), 0o755);
  rmSync(root, { recursive: true, force: true });
});

/**
 * Root ignores permission bits, so a chmod'd file proves nothing when the tests run as root:
 * there the CLI runs as `nobody`, for whom the bits hold as they would on a read-only mount.
 */
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function cli(args: string[], db: string, input = "", user = asUser) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    cwd: root,
    ...user,
    env: { ...process.env, HINDSIGHT_DB: db, HINDSIGHT_LOG_LEVEL: "warn", NO_COLOR: "1" },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const live = join(root, "live", "hindsight.db");
const mount = join(root, "mount");
const backup = join(mount, "hindsight-2023-02-24.db");

beforeAll(() => {
  const script = [
    '/incident start Downtime --sev 2 --at "2023-02-23 10:00 UTC"',
    "/timeline add 10:05 noticed a problem with the webserver",
  ].join("\n");
  expect(cli(["start"], live, script, {}).status).toBe(0);
  mkdirSync(mount);
  expect(cli(["backup", backup], live, "", {}).status).toBe(0);
  chmodSync(backup, 0o444);
  chmodSync(mount, 0o555);
});

describe("list and draft on files they may not write", () => {
  it("read a backup in a read-only directory, writing nothing beside it", () => {
    const before = sha(backup);
    const listed = cli(["list", "--all"], backup);
    expect(listed).toMatchObject({ status: 0, stderr: "" });
    expect(listed.stdout).toMatch(/^INC-1 Downtime · SEV2 /);
    const draft = cli(["draft", "INC-1", "--out", "-"], backup);
    expect(draft.status).toBe(0);
    expect(draft.stdout).toContain("- 10:05 noticed a problem with the webserver");
    expect(draft.stdout).toBe(cli(["draft", "INC-1", "--out", "-"], live, "", {}).stdout);
    expect(readdirSync(mount)).toEqual(["hindsight-2023-02-24.db"]);
    expect(sha(backup)).toBe(before);
  });

  it("never change the file they read: no WAL switch, no migration, even when they could", () => {
    const old = join(root, "old.db");
    const db = new Database(old);
    db.exec(MIGRATIONS[0]!);
    db.pragma("user_version = 1");
    db.prepare(
      "INSERT INTO incidents (title, status, started_at, declared_at, platform, created_by) VALUES ('Old outage', 'resolved', 1677146400000, 1677146400000, 'console', 'alice')",
    ).run();
    db.close();
    const before = sha(old);
    const listed = cli(["list", "--all"], old, "", {});
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^INC-1 Old outage /);
    expect(sha(old)).toBe(before);
    const reopened = new Database(old, { readonly: true });
    expect(reopened.pragma("user_version", { simple: true })).toBe(1);
    expect(reopened.pragma("journal_mode", { simple: true })).toBe("delete");
    reopened.close();
  });

  it("refuse a database newer than the code in one line", () => {
    const newer = join(root, "newer.db");
    copyFileSync(join(root, "live", "hindsight.db"), newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    for (const args of [["list"], ["draft", "INC-1", "--out", "-"]]) {
      const result = cli(args, newer);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `hindsight: the database is at schema version ${MIGRATIONS.length + 1}, newer than this Hindsight (${MIGRATIONS.length}); upgrade Hindsight or use a backup`,
      );
    }
  });
});
