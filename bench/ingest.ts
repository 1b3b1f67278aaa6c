import { join } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../storage/migrations/index.ts";
import { benchApp, declare, NOW, type Row, round, say, tempDir } from "./lib.ts";

const OPS = 5_000;
const ROUNDS = 3;
/** the README's Performance target for `/timeline add` and collected messages */
const TARGET = 0.35;

/**
 * Ingest through the real bot (dispatcher, parser, repositories, one IMMEDIATE transaction per
 * command or message) against bare better-sqlite3 inserting one row per transaction into the same
 * schema with the same pragmas. Both sides get the best of ROUNDS, so a noisy neighbour hurts
 * neither more than the other.
 */
export function ingestBench(): Row[] {
  const tmp = tempDir("ingest");
  try {
    const app = benchApp(join(tmp.dir, "bot.db"));
    declare(app, "room-1");
    const bare = bareDatabase(join(tmp.dir, "bare.db"));

    let seq = 0;
    const botTimeline = () => {
      for (let i = 0; i < OPS; i++) {
        const r = app.bot.handle(say("room-1", `/timeline add step ${++seq} proxy answered 502`));
        if (r.kind !== "ok") throw new Error(`timeline add failed: ${JSON.stringify(r)}`);
      }
    };
    const botMessages = () => {
      for (let i = 0; i < OPS; i++) {
        const r = app.bot.handle(say("room-1", `message ${++seq}: looking at the proxy logs now`));
        if (r.kind !== "collected") throw new Error(`message not collected: ${JSON.stringify(r)}`);
      }
    };
    const bareTimeline = () => {
      for (let i = 0; i < OPS; i++) bare.timeline(++seq);
    };
    const bareMessages = () => {
      for (let i = 0; i < OPS; i++) bare.message(++seq);
    };

    const rates = { botTimeline: 0, botMessages: 0, bareTimeline: 0, bareMessages: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      rates.bareTimeline = Math.max(rates.bareTimeline, rate(bareTimeline));
      rates.botTimeline = Math.max(rates.botTimeline, rate(botTimeline));
      rates.bareMessages = Math.max(rates.bareMessages, rate(bareMessages));
      rates.botMessages = Math.max(rates.botMessages, rate(botMessages));
    }
    app.db.close();
    bare.close();
    return [
      row("/timeline add", rates.botTimeline, rates.bareTimeline),
      row("collected message", rates.botMessages, rates.bareMessages),
    ];
  } finally {
    tmp.cleanup();
  }
}

function row(figure: string, bot: number, bare: number): Row {
  const ratio = bot / bare;
  return {
    bench: "ingest",
    figure,
    value: round(bot, 0),
    unit: "ops/s",
    baseline: { label: "bare better-sqlite3 1-row txn", value: round(bare, 0) },
    ratio: round(ratio, 2),
    target: `ratio >= ${TARGET}`,
    pass: ratio >= TARGET,
  };
}

function rate(fn: () => void): number {
  const started = performance.now();
  fn();
  return OPS / ((performance.now() - started) / 1000);
}

/** The same schema and pragmas as storage/database.ts, written to with one row per transaction. */
function bareDatabase(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  for (const migration of MIGRATIONS) db.exec(migration);
  db.prepare(
    `INSERT INTO incidents (id, title, severity, status, started_at, declared_at, platform, created_by)
     VALUES (1, 'Benchmark', 2, 'investigating', ?, ?, 'console', 'bench')`,
  ).run(NOW, NOW);
  const timeline = db.prepare(
    `INSERT INTO timeline_entries (incident_id, number, at, text, kind, author_id, created_at)
     VALUES (1, ?, ?, ?, 'note', 'bench', ?)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (incident_id, platform, room_id, event_id, author_id, author_name, at, text)
     VALUES (1, 'console', 'room-1', ?, 'bench', 'bench', ?, ?)`,
  );
  const timelineTxn = db.transaction((n: number) => {
    timeline.run(n, NOW, `step ${n} proxy answered 502`, NOW);
  });
  const messageTxn = db.transaction((n: number) => {
    message.run(`bare-${n}`, NOW, `message ${n}: looking at the proxy logs now`);
  });
  return {
    // IMMEDIATE like the bot's transactions, so both sides take the write lock the same way.
    timeline: (n: number) => timelineTxn.immediate(n),
    message: (n: number) => messageTxn.immediate(n),
    close: () => db.close(),
  };
}
