import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { inject } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import type { Db } from "../../storage/database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** file the suite's figures are appended to; globalSetup prints them at the end */
    figuresFile: string;
    /** the PRNG seed of this run (printed, and settable with RELIABILITY_SEED to replay) */
    seed: number;
  }
}

/** Appends "name: value" figures that the global teardown prints after the run. */
export function recordFigures(suite: string, figures: Record<string, number | string>): void {
  appendFileSync(inject("figuresFile"), `${JSON.stringify({ suite, figures })}\n`);
}

export function runSeed(): number {
  return inject("seed");
}

/** mulberry32: tiny, fast and seedable, so a failing run can be replayed from its seed. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!,
    chance: (p: number): boolean => next() < p,
  };
}

export type Random = ReturnType<typeof prng>;

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `hindsight-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const NOW = Date.parse("2026-03-02T12:00:00Z");

/** Error-level log lines the app wrote (internal errors carry their stack here). */
export interface CapturedLog {
  lines: { msg: string; ref?: string; err?: { message?: string; stack?: string } }[];
}

/** The real app on a temp-file database with a fixed clock; its error logs are captured. */
export function reliabilityApp(file: string): App & { logs: CapturedLog } {
  const logs: CapturedLog = { lines: [] };
  const log = pino(
    { level: "error" },
    {
      write(line: string) {
        logs.lines.push(JSON.parse(line) as CapturedLog["lines"][number]);
      },
    },
  );
  const config = loadConfig({
    HINDSIGHT_DB: file,
    HINDSIGHT_LOG_LEVEL: "error",
    HINDSIGHT_CREATE_ROOMS: "false",
  });
  return { ...createApp(config, log, { clock: fixedClock(NOW) }), logs };
}

/**
 * Every row of every table, processed_events included: equal snapshots mean nothing changed.
 * `except` leaves out tables that legitimately move on a replay (kv: a sync position).
 */
export function snapshot(db: Db, except: readonly string[] = []): string {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .filter((t) => !except.includes(t.name));
  return JSON.stringify(tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}"`).all()]));
}

export function integrity(db: Db): string {
  return db.pragma("integrity_check", { simple: true }) as string;
}
