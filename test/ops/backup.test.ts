import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Child, killChildren, MAIN, run } from "./child.ts";

const WRITER = fileURLToPath(new URL("./fixtures/writer.ts", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  killChildren();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-backup-"));
  dirs.push(dir);
  return dir;
}

async function writtenSoFar(writer: Child): Promise<number> {
  const before = writer.stdout().length;
  writer.process.stdin!.write("?\n");
  const text = await writer.waitFor("stdout", (t) => /written \d+\n/.test(t.slice(before)));
  return Number(/written (\d+)/.exec(text.slice(before))![1]);
}

describe("hindsight backup", () => {
  it("copies a database another process is writing to, consistently", async () => {
    const dir = temp();
    const db = join(dir, "hindsight.db");
    const out = join(dir, "backup.db");
    const writer = run(WRITER, [db], {}, dir);
    await writer.waitFor("stdout", (t) => t.includes("ready"));

    const atStart = await writtenSoFar(writer);
    const backup = run(MAIN, ["backup", out], { HINDSIGHT_DB: db }, dir);
    expect(await backup.exited).toEqual({ code: 0, signal: null });
    const atEnd = await writtenSoFar(writer);
    writer.process.stdin!.end();
    await writer.waitFor("stdout", (t) => t.includes("done"));
    expect(backup.stderr()).toMatch(/^backed up .*hindsight\.db to .*backup\.db \(\d+ pages\)\n$/);
    // the writer kept going while the backup ran: the copy was taken from a live database
    expect(atEnd).toBeGreaterThan(atStart);

    const copy = new Database(out, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const { n, last } = copy
        .prepare("SELECT count(*) AS n, max(id) AS last FROM incidents")
        .get() as {
        n: number;
        last: number;
      };
      // a consistent snapshot is a prefix of the writer's work: no gaps, no half-written incident
      expect(n).toBe(last);
      expect(n).toBeGreaterThanOrEqual(atStart);
      expect(n).toBeLessThanOrEqual(atEnd);
      expect(
        copy.prepare("SELECT count(*) AS n FROM timeline_entries WHERE kind = 'declared'").get(),
      ).toEqual({ n });
      expect(copy.pragma("user_version", { simple: true })).toBeGreaterThan(0);
    } finally {
      copy.close();
    }

    // and it is a working Hindsight database: restore is copying it back
    const list = run(MAIN, ["list"], { HINDSIGHT_DB: out }, dir);
    expect(await list.exited).toEqual({ code: 0, signal: null });
    expect(list.stdout()).toContain("INC-1 ");
  });

  it("takes the Matrix encryption keys beside the database along", async () => {
    const dir = temp();
    const db = join(dir, "hindsight.db");
    const writer = run(WRITER, [db], {}, dir);
    await writer.waitFor("stdout", (t) => t.includes("ready"));
    writer.process.stdin!.end();
    await writer.exited;
    const keys = Buffer.from([1, 2, 3, 250, 251]);
    writeFileSync(`${db}.crypto`, keys);
    const out = join(dir, "backup.db");
    const backup = run(MAIN, ["backup", out], { HINDSIGHT_DB: db }, dir);
    expect(await backup.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(`${out}.crypto`)).toEqual(keys);
    expect(backup.stderr()).toContain(
      `backed up the Matrix encryption keys ${db}.crypto to ${out}.crypto`,
    );
  });

  it("says in one line what is wrong instead of failing with a stack", async () => {
    const dir = temp();
    const db = join(dir, "hindsight.db");
    const cases: [string[], string][] = [
      [["backup"], "backup needs a file name"],
      [["backup", join(dir, "out.db")], `there is no database at ${db}`],
    ];
    for (const [args, message] of cases) {
      const cli = run(MAIN, args, { HINDSIGHT_DB: db }, dir);
      expect((await cli.exited).code).toBe(2);
      expect(cli.stderr()).toContain(`hindsight: ${message}`);
      expect(cli.stderr()).not.toMatch(/\n\s+at /);
    }
    const writer = run(WRITER, [db], {}, dir);
    await writer.waitFor("stdout", (t) => t.includes("ready"));
    writer.process.stdin!.end();
    await writer.exited;
    for (const [target, message] of [
      [join(dir, "missing", "out.db"), "its directory does not exist"],
      [db, "is the live database itself"],
    ]) {
      const cli = run(MAIN, ["backup", target!], { HINDSIGHT_DB: db }, dir);
      expect((await cli.exited).code).toBe(2);
      expect(cli.stderr()).toContain(message);
      expect(cli.stderr().trim().split("\n")).toHaveLength(1);
    }
  });
});
