import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, createApp } from "../src/app.ts";
import { fixedClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import type { Invocation } from "../src/core/invocation.ts";
import { createLogger } from "../src/logging.ts";

/** One line of the results table: a figure, the baseline measured in the same run, and the ratio. */
export interface Row {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** value / baseline (or baseline / value for "higher is better" rates: see `ratioOf`) */
  ratio?: number;
  target?: string;
  /** undefined when there is no target, or the bench could not run */
  pass?: boolean;
  note?: string;
}

/** Signs the Slack bench's requests; a test value, never a real secret. */
export const BENCH_SECRET = "bench-signing-secret";

/** The instant every benchmark's fixed clock shows, so runs are comparable. */
export const NOW = Date.parse("2026-03-02T12:00:00Z");

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `hindsight-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real app (storage, registry, dispatcher, bot) on a temp-file database with a fixed clock. */
export function benchApp(file: string): App {
  const config = loadConfig({ HINDSIGHT_DB: file, HINDSIGHT_LOG_LEVEL: "silent" });
  return createApp(config, createLogger("silent", { pretty: false }), { clock: fixedClock(NOW) });
}

let eventCounter = 0;

export function say(room: string, text: string, time = NOW): Invocation {
  eventCounter++;
  return {
    platform: "console",
    actor: { id: "bench", name: "bench" },
    room,
    text,
    eventId: `bench-${process.pid}-${eventCounter}`,
    time,
  };
}

/** Declares an incident through the bot and binds it to `room`; returns its id. */
export function declare(app: App, room: string, title = "Benchmark"): number {
  const result = app.bot.handle(say("lobby", `/incident start ${title} --sev 2`));
  if (result.kind !== "ok") throw new Error(`could not declare: ${JSON.stringify(result)}`);
  const effect = result.reply.effects?.find((e) => e.kind === "incident-declared");
  if (!effect) throw new Error("no incident-declared effect");
  app.bot.bindRoom(effect.incident.id, "console", room);
  return effect.incident.id;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Runs fn `times` times and returns the median duration in ms. */
export function timeMedian(times: number, fn: () => void): number {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    fn();
    durations.push(performance.now() - started);
  }
  return median(durations);
}

export const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A fixed-width text table of the rows, for the terminal and docs/benchmarks.md. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.bench,
    r.figure,
    Number.isFinite(r.value) ? `${fmt(r.value)} ${r.unit}` : "—",
    r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.label})` : "",
    r.ratio === undefined ? "" : `${fmt(r.ratio)}`,
    r.target ?? "",
    r.pass === undefined ? (Number.isFinite(r.value) ? "" : "n/a") : r.pass ? "ok" : "MISSED",
  ]);
  const header = ["bench", "figure", "value", "baseline", "ratio", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((s, i) => s.padEnd(widths[i]!)).join("  ");
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.bench} / ${r.figure}: ${r.note}`);
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    ...(notes.length > 0 ? ["", "notes:", ...notes] : []),
  ].join("\n");
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
