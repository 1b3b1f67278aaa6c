/**
 * `npm run bench`: measures the performance targets in the README/docs (docs/benchmarks.md), each figure beside a baseline
 * measured in the same run. Prints a table and writes bench/results.json. Not part of `npm test`:
 * figures depend on the machine, so they are reported, never asserted by a timed test.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { catchupBench } from "./catchup.ts";
import { draftBench } from "./draft.ts";
import { ingestBench } from "./ingest.ts";
import { formatTable, mb, type Row } from "./lib.ts";
import { slackBench } from "./slack.ts";
import { startupBench } from "./startup.ts";

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

const rows: Row[] = [];
const started = Date.now();
// `npm run bench -- slack catch-up`: only those benches (names as in the table's first column)
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
if (wanted("ingest")) {
  log("ingest…");
  rows.push(...ingestBench());
}
if (wanted("draft") || wanted("memory")) {
  log("draft and memory (seeding up to 100k entries and 1M messages)…");
  rows.push(...draftBench(log));
}
if (wanted("catch-up")) {
  log("catch-up after downtime (10k messages through each adapter)…");
  rows.push(...(await catchupBench()));
}
if (wanted("startup")) {
  log("start-up…");
  rows.push(...(await startupBench()));
}
if (wanted("slack")) {
  log("slack…");
  rows.push(...(await slackBench()));
}

const machine = {
  node: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryMb: mb(totalmem()),
};
const missed = rows.filter((r) => r.pass === false);
process.stdout.write(
  `Hindsight benchmarks, ${new Date(started).toISOString()}, node ${machine.node}, ${machine.cpus} cores (${machine.cpuModel})\n\n${formatTable(rows)}\n\n${missed.length === 0 ? "all targets met" : `${missed.length} target(s) missed`} in ${Math.round((Date.now() - started) / 1000)} s\n`,
);
writeFileSync(
  RESULTS,
  `${JSON.stringify({ at: new Date(started).toISOString(), machine, rows }, null, 2)}\n`,
);
log(`wrote ${RESULTS}`);
