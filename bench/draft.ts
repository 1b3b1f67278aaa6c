import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mb, type Row, round, tempDir } from "./lib.ts";

const WORKER = fileURLToPath(new URL("./draftWorker.ts", import.meta.url));
const SIZES = [1_000, 10_000, 100_000];
const TARGET_MS: Record<number, number> = { 10000: 200, 100000: 2_000 };
/** Memory bench: a fixed timeline, a growing room history. */
const HISTORY = [10_000, 100_000];
/** "Flat": 10× the history may cost at most this much more peak memory. */
const FLAT_SLACK_BYTES = 16 * 1024 * 1024;

type WorkerOut = Record<string, number>;

function worker(args: string[]): WorkerOut {
  // --expose-gc so the worker measures idle memory after a collection, not leftover garbage.
  const out = execFileSync(process.execPath, ["--expose-gc", WORKER, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as WorkerOut;
}

/** Draft time and peak memory at 1k/10k/100k entries (10× as many messages), and the growth. */
export function draftBench(log: (line: string) => void): Row[] {
  const tmp = tempDir("draft");
  const rows: Row[] = [];
  const perEntry: number[] = [];
  try {
    for (const entries of SIZES) {
      const db = join(tmp.dir, `draft-${entries}.db`);
      const seeded = worker(["seed", db, String(entries), String(entries * 10)]);
      log(
        `  seeded ${entries} entries + ${entries * 10} messages in ${round(seeded.seedSeconds!, 1)} s`,
      );
      const m = worker(["draft", db]);
      const target = TARGET_MS[entries];
      perEntry.push(m.draftMs! / entries);
      rows.push({
        bench: "draft",
        figure: `${label(entries)} entries, ${label(entries * 10)} msgs`,
        value: round(m.draftMs!, 1),
        unit: "ms",
        baseline: { label: "bare SELECT + join", value: round(m.bareMs!, 1) },
        ratio: round(m.draftMs! / m.bareMs!, 1),
        ...(target ? { target: `< ${target} ms`, pass: m.draftMs! < target } : {}),
      });
      rows.push({
        bench: "draft",
        figure: `${label(entries)}: time per entry`,
        value: round((m.draftMs! / entries) * 1000, 2),
        unit: "µs",
      });
      rows.push({
        bench: "draft",
        figure: `${label(entries)}: peak RSS`,
        value: mb(m.peakRss!),
        unit: "MB",
        baseline: { label: "same process idle", value: mb(m.idleRss!) },
        ratio: round(m.peakRss! / m.idleRss!, 2),
        note: `the Markdown itself is ${Math.round(m.markdownBytes! / 1024)} KiB`,
      });
    }
    // Linear: the cost per entry at 100k is about the cost per entry at 10k.
    const growth = perEntry[2]! / perEntry[1]!;
    rows.push({
      bench: "draft",
      figure: "per-entry cost 100k / 10k",
      value: round(growth, 2),
      unit: "×",
      // Linear stays near 1 (n log n sorting: ~1.25); quadratic work would show as ~10.
      target: "<= 2 (linear)",
      pass: growth <= 2,
    });
    rows.push(...memoryRows(tmp.dir, log));
    return rows;
  } finally {
    tmp.cleanup();
  }
}

/** Peak memory of list/status/collect/add on 1k entries with 10k vs 100k collected messages. */
function memoryRows(dir: string, log: (line: string) => void): Row[] {
  const peaks: number[] = [];
  const rows: Row[] = [];
  for (const messages of HISTORY) {
    const db = join(dir, `memory-${messages}.db`);
    worker(["seed", db, "1000", String(messages)]);
    const m = worker(["ops", db]);
    log(`  everyday commands on ${messages} messages: peak ${mb(m.peakRss!)} MB`);
    peaks.push(m.peakRss!);
    rows.push({
      bench: "memory",
      figure: `commands on ${label(messages)} msgs: peak RSS`,
      value: mb(m.peakRss!),
      unit: "MB",
      baseline: { label: "same process idle", value: mb(m.idleRss!) },
      ratio: round(m.peakRss! / m.idleRss!, 2),
    });
  }
  const extra = peaks[1]! - peaks[0]!;
  rows.push({
    bench: "memory",
    figure: "peak RSS 100k msgs - 10k msgs",
    value: mb(extra),
    unit: "MB",
    target: `< ${mb(FLAT_SLACK_BYTES)} MB (flat)`,
    pass: extra < FLAT_SLACK_BYTES,
  });
  return rows;
}

function label(n: number): string {
  return n >= 1000 ? `${n / 1000}k` : String(n);
}
