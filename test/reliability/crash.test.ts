import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "../../storage/database.ts";
import { integrity, prng, recordFigures, runSeed, tempDir } from "./support.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CYCLES = 10;
const LINES_PER_CYCLE = 1_500;

/** One line typed into the bot, and what proves it was handled. */
interface Sent {
  index: number;
  line: string;
  /** the unique text that lands in the database */
  token: string;
  kind: "add" | "tag" | "plain";
}

const tmp = tempDir("crash");
afterAll(() => tmp.cleanup());

function startBot(db: string): ChildProcessWithoutNullStreams {
  // Only what the bot needs: no chat platform variables leak in from the caller's environment.
  return spawn(process.execPath, [MAIN, "start"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HINDSIGHT_DB: db, HINDSIGHT_LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/**
 * Feeds a stream of lines to a running bot and SIGKILLs it at a random point: after a random
 * number of replies (so mid-stream, while it is busy) or after a random delay (which can land in
 * start-up). Resolves with the index of the last line whose reply was seen: the console handles
 * lines one by one and writes to a pipe synchronously, so a reply to line k means every line up
 * to k was committed.
 */
function runUntilKilled(
  db: string,
  lines: Sent[],
  setup: string,
  kill: { afterReplies?: number; afterMs?: number },
): Promise<{ lastAcked: number; errors: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = startBot(db);
    const expecting = lines.filter((l) => l.kind !== "plain");
    let replies = 0;
    let lastAcked = -1;
    let buffer = "";
    let killed = false;
    const errors: string[] = [];
    const killNow = () => {
      if (!killed) killed = child.kill("SIGKILL");
    };
    child.stdin.on("error", () => {}); // EPIPE once it is dead: expected
    child.stderr.on("data", (chunk: Buffer) => errors.push(`stderr: ${chunk.toString()}`));
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const complete = buffer.split("\n");
      buffer = complete.pop()!;
      for (const out of complete) {
        const added = /^Added #\d+ at .+? UTC: (crash-\S+)$/.exec(out);
        const filed = out === "(filed under timeline)";
        if (out.startsWith("error:")) errors.push(out);
        if (!added && !filed) continue;
        const sent = expecting[replies++];
        if (!sent || (added ? sent.token !== added[1] : sent.kind !== "tag")) {
          errors.push(`reply out of order: ${out} for ${sent?.line}`);
          continue;
        }
        lastAcked = sent.index;
        if (kill.afterReplies !== undefined && replies >= kill.afterReplies) killNow();
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({ lastAcked, errors, killed }));
    if (kill.afterMs !== undefined) setTimeout(killNow, kill.afterMs);
    // Watchdog: a bot that stops answering is a failure to report, not a hung suite.
    const watchdog = setTimeout(() => {
      errors.push(`no kill point reached after ${replies} replies`);
      killNow();
    }, 30_000);
    child.on("exit", () => clearTimeout(watchdog));
    child.stdin.write(`${setup}\n${lines.map((l) => l.line).join("\n")}\n`);
  });
}

test("a bot killed with SIGKILL at random points keeps every answered command, once", async () => {
  const seed = runSeed();
  const random = prng(seed);
  const db = join(tmp.dir, "crash.db");
  const all: Sent[] = [];
  const acked = new Set<number>();
  let crashes = 0;
  const errors: string[] = [];

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const lines: Sent[] = [];
    for (let i = 0; i < LINES_PER_CYCLE; i++) {
      const token = `crash-c${cycle}-n${i}`;
      const roll = random.next();
      const [kind, line] =
        roll < 0.5
          ? (["add", `/timeline add ${token}`] as const)
          : roll < 0.75
            ? (["tag", `timeline: ${token}`] as const)
            : (["plain", `looking at it ${token}`] as const);
      lines.push({ index: all.length + i, line, token, kind });
    }
    // The first cycle must get past the declaration; later ones may die during start-up too.
    const kill =
      cycle === 0 || random.chance(0.6)
        ? { afterReplies: random.int(1, 900) }
        : { afterMs: random.int(0, 1_500) };
    const setup = cycle === 0 ? "/incident start Crash test --sev 2" : "/join INC-1";
    const run = await runUntilKilled(db, lines, setup, kill);
    all.push(...lines);
    if (run.killed) crashes++;
    for (const l of lines) if (l.index <= run.lastAcked) acked.add(l.index);
    errors.push(...run.errors.map((e) => `cycle ${cycle}: ${e}`));
  }

  // One clean run after the last kill: it starts, answers, and exits 0 at end of input.
  const clean = startBot(db);
  let cleanOut = "";
  clean.stdout.on("data", (c: Buffer) => {
    cleanOut += c.toString();
  });
  clean.stdin.end("/join INC-1\n/timeline add crash-final\n");
  const code = await new Promise<number | null>((resolve) => clean.on("exit", resolve));

  const check = openDatabase(db);
  const timelineCount = check.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM timeline_entries WHERE text = ?",
  );
  const messageCount = check.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM messages WHERE text = ?",
  );
  let lost = 0;
  let twice = 0;
  let inFlightKept = 0;
  const problems: string[] = [];
  for (const sent of all) {
    const n =
      sent.kind === "plain" ? messageCount.get(sent.line)!.n : timelineCount.get(sent.token)!.n;
    // A tagged message and its timeline entry are one transaction: both or neither.
    const half = sent.kind === "tag" && messageCount.get(sent.line)!.n !== n;
    const answered = acked.has(sent.index);
    if (n > 1) twice++;
    if (answered && n < 1) lost++;
    if (!answered && n === 1) inFlightKept++;
    if (n > 1 || half || (answered && n < 1))
      problems.push(`${sent.line}: stored ${n}×${half ? " (message and entry disagree)" : ""}`);
  }
  const integrityResult = integrity(check);
  check.close();

  recordFigures("crash", {
    seed: seed,
    "commands sent": all.length,
    answered: acked.size,
    "crashes survived": crashes,
    "entries lost": lost,
    "stored twice": twice,
    "unanswered but kept": inFlightKept,
    integrity: integrityResult,
  });
  expect(errors, `seed ${seed}`).toEqual([]);
  expect(crashes).toBeGreaterThanOrEqual(CYCLES - 1);
  expect(acked.size).toBeGreaterThan(CYCLES);
  expect(problems.slice(0, 10), `seed ${seed}`).toEqual([]);
  expect(integrityResult).toBe("ok");
  expect(code).toBe(0);
  expect(cleanOut).toContain("crash-final");
});
