import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import type { App } from "../../src/app.ts";
import type { HandleResult } from "../../src/core/bot.ts";
import type { Invocation } from "../../src/core/invocation.ts";
import type { Db } from "../../storage/database.ts";
import { generateLine } from "./generate.ts";
import {
  type CapturedLog,
  integrity,
  NOW,
  prng,
  recordFigures,
  reliabilityApp,
  runSeed,
  tempDir,
} from "./support.ts";

const LINES = 100_000;
/** A fresh database every so often keeps drafts of a fuzzed timeline from growing without end. */
const RESET_EVERY = 5_000;
const ROOM = "fuzz-room";

const tmp = tempDir("fuzz");
afterAll(() => tmp.cleanup());

/**
 * Counts every row written to any table but processed_events (a failed command still claims its
 * event id, on purpose, so a redelivery stays quiet). TEMP triggers live in this connection only
 * and roll back with the transaction that fired them, so the counter moves exactly when a
 * command's writes were committed.
 */
function writeMeter(db: Db): () => number {
  db.exec(
    "CREATE TEMP TABLE fuzz_writes (n INTEGER NOT NULL); INSERT INTO fuzz_writes VALUES (0);",
  );
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'processed_events'",
    )
    .all();
  for (const { name } of tables) {
    for (const op of ["INSERT", "UPDATE", "DELETE"]) {
      db.exec(
        `CREATE TEMP TRIGGER fuzz_${name}_${op} AFTER ${op} ON main."${name}"
         BEGIN UPDATE fuzz_writes SET n = n + 1; END;`,
      );
    }
  }
  const read = db.prepare<[], { n: number }>("SELECT n FROM fuzz_writes");
  return () => read.get()!.n;
}

interface Sent {
  text: string;
  room: string;
  eventId: string;
  zone: string | undefined;
  /** what the first delivery did */
  first?: string;
}

interface Fuzzed {
  app: App & { logs: CapturedLog };
  writes: () => number;
}

function freshApp(generation: number): Fuzzed {
  const app = reliabilityApp(join(tmp.dir, `fuzz-${generation}.db`));
  const writes = writeMeter(app.db);
  const declare = (room: string, title: string) => {
    const r = app.bot.handle(invocation(room, `/incident start ${title} --sev 2`, `setup-${room}`));
    if (r.kind !== "ok") throw new Error(`setup failed: ${JSON.stringify(r)}`);
  };
  declare(ROOM, "Fuzzed outage");
  declare("other-room", "Another one");
  app.bot.handle(invocation(ROOM, "/timeline add 11:00 first", "setup-entry"));
  app.bot.handle(invocation(ROOM, "/action add first action", "setup-action"));
  return { app, writes };
}

function invocation(room: string, text: string, eventId: string, zone?: string): Invocation {
  return {
    platform: "slack",
    actor: { id: "U_FUZZ", name: "fuzz", ...(zone ? { timezone: zone } : {}) },
    room,
    text,
    eventId,
    time: NOW,
  };
}

const show = (text: string) =>
  JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);

test("100 000 generated command lines: no exception escapes, every failure is a user error and writes nothing", () => {
  const seed = runSeed();
  const random = prng(seed ^ 0x5eed);
  const counts: Record<string, number> = {};
  const bugs: string[] = [];
  const kinds: Record<string, number> = {};
  let fuzz = freshApp(0);
  let sent: Sent[] = [];
  const fresh = (i: number): Sent => {
    const { kind, text } = generateLine(random);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const room = random.chance(0.85) ? ROOM : random.pick(["lobby", "other-room"]);
    const zone = random.chance(0.1)
      ? random.pick(["Europe/Berlin", "Mars/Olympus", ""])
      : undefined;
    return { text, room, eventId: `fuzz-${i}`, zone };
  };
  let writesOnFailure = 0;

  for (let i = 0; i < LINES; i++) {
    if (i > 0 && i % RESET_EVERY === 0) {
      expect(integrity(fuzz.app.db)).toBe("ok");
      fuzz.app.db.close();
      fuzz = freshApp(i / RESET_EVERY);
      sent = [];
    }
    // Now and then a redelivery of an earlier event, exactly as sent: it must change nothing.
    const replay = sent.length > 0 && random.chance(0.01);
    const next = replay ? random.pick(sent) : fresh(i);
    if (!replay) sent.push(next);
    const { text, room, eventId, zone } = next;
    const before = fuzz.writes();
    let result: HandleResult;
    try {
      result = fuzz.app.bot.handle(invocation(room, text, eventId, zone));
    } catch (error) {
      bugs.push(`exception escaped for ${show(text)}: ${(error as Error).stack ?? String(error)}`);
      continue;
    }
    counts[result.kind] = (counts[result.kind] ?? 0) + 1;
    if (!replay) next.first = result.kind;
    const wrote = fuzz.writes() !== before;
    if (result.kind === "internal-error") {
      const logged = fuzz.app.logs.lines.find((l) => l.ref === result.ref);
      bugs.push(`internal error for ${show(text)} in ${room}: ${logged?.err?.stack ?? "no stack"}`);
    } else if (result.kind === "user-error") {
      const lines = result.reply.text.split("\n");
      if (lines.length > 2 || (lines.length === 2 && !lines[1]!.startsWith("Usage: ")))
        bugs.push(
          `user error is not one line (+ usage) for ${show(text)}: ${show(result.reply.text)}`,
        );
      if (result.reply.visibility !== "caller")
        bugs.push(`user error visible to the channel for ${show(text)}`);
    }
    const shouldWrite = result.kind === "ok" || result.kind === "collected";
    if (wrote && !shouldWrite) {
      writesOnFailure++;
      bugs.push(`${result.kind} wrote data for ${show(text)}`);
    }
    // A message first ignored (its room was no incident's yet) may be collected once the room
    // becomes one, as backfill would; anything handled once must not run again.
    const handledBefore = next.first !== "ignored";
    if (replay && handledBefore && (wrote || result.kind !== "duplicate"))
      bugs.push(
        `redelivered ${eventId} (first ${next.first}) ran again as ${result.kind} in ${room}: ${show(text)}`,
      );
  }
  const finalIntegrity = integrity(fuzz.app.db);
  fuzz.app.db.close();

  recordFigures("fuzz", {
    seed: seed,
    "lines tried": LINES,
    ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v])),
    "writes by failed commands": writesOnFailure,
    bugs: bugs.length,
  });
  if (bugs.length > 0)
    console.error(`fuzz (seed ${seed}) found:\n${bugs.slice(0, 20).join("\n\n")}`);
  expect(bugs.slice(0, 5), `seed ${seed}`).toEqual([]);
  expect(finalIntegrity).toBe("ok");
  // The generator reaches every outcome: a fuzzer that only produced noise would prove nothing.
  expect(counts.ok).toBeGreaterThan(LINES / 20);
  expect(counts["user-error"]).toBeGreaterThan(LINES / 20);
  expect(counts.collected).toBeGreaterThan(0);
  expect(counts.duplicate).toBeGreaterThan(0);
  expect(Object.keys(kinds).sort()).toEqual(
    ["control", "empty", "huge", "mutated", "random", "unicode", "valid"].sort(),
  );
});

test("the write meter sees a committed write and not a rolled-back one", () => {
  const { app, writes } = freshApp(999);
  const start = writes();
  expect(app.bot.handle(invocation(ROOM, "/timeline add 11:30 seen", "meter-1")).kind).toBe("ok");
  const afterOk = writes();
  expect(afterOk).toBeGreaterThan(start);
  expect(app.bot.handle(invocation(ROOM, "/incident sev 9", "meter-2")).kind).toBe("user-error");
  expect(writes()).toBe(afterOk);
  app.db.close();
});
