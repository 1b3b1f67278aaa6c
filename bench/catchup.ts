import { join } from "node:path";
import Database from "better-sqlite3";
import { createMatrixAdapter } from "../src/adapters/matrix/matrixAdapter.ts";
import { createSlackAdapter } from "../src/adapters/slack/slackAdapter.ts";
import { messageId } from "../src/adapters/slack/text.ts";
import { createApp } from "../src/app.ts";
import { systemClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logging.ts";
import { MIGRATIONS } from "../storage/migrations/index.ts";
import { FakeHomeserver } from "../test/fakes/homeserver.ts";
import { startFakeSlack } from "../test/fakes/slackApi.ts";
import { BENCH_SECRET, NOW, type Row, round, tempDir } from "./lib.ts";

/** Events said while the bot was down, per round. */
const GAP = 10_000;
const ROUNDS = 3;
const TARGET = 0.3;
const BOT = "@hindsight:fake.test";
const ALICE = "@alice:fake.test";
const CHANNEL = "CINCIDENT1";
const text = (i: number) => `message ${i}: looking at the proxy logs now`;
const log = createLogger("silent", { pretty: false });

/** One message as stored, for the bare baseline: the same rows the adapters store. */
interface StoredRow {
  platform: string;
  room: string;
  eventId: string;
  author: string;
  at: number;
  text: string;
}

/**
 * Catch-up after downtime through the real adapters against the loopback fakes (in this process;
 * they answer at once, so what is measured is our own cost: the SDK's requests and parsing, the
 * adapter's paging, the engine and one IMMEDIATE transaction per message), from the adapter's
 * start to the last of GAP messages stored. Baseline: bare better-sqlite3 inserting the same rows,
 * one IMMEDIATE transaction each, into the same schema with the same pragmas. Best of ROUNDS for
 * both sides, each round on a fresh database.
 */
export async function catchupBench(): Promise<Row[]> {
  const tmp = tempDir("catchup");
  try {
    const best = { matrix: 0, matrixBare: 0, slack: 0, slackBare: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const dir = (name: string) => join(tmp.dir, `${name}-${r}.db`);
      const matrix = await matrixGap(dir("matrix"));
      best.matrix = Math.max(best.matrix, matrix.rate);
      best.matrixBare = Math.max(best.matrixBare, bareRate(dir("matrix-bare"), matrix.row));
      const slack = await slackHistory(dir("slack"));
      best.slack = Math.max(best.slack, slack.rate);
      best.slackBare = Math.max(best.slackBare, bareRate(dir("slack-bare"), slack.row));
    }
    return [
      row(
        "Matrix gap of 10k events",
        best.matrix,
        best.matrixBare,
        "limited /sync, gap filled with /messages (pages of 100)",
      ),
      row(
        "Slack history of 10k msgs",
        best.slack,
        best.slackBare,
        "conversations.history pages of 200, read at start",
      ),
    ];
  } finally {
    tmp.cleanup();
  }
}

/**
 * The bot declares an incident in Matrix, stops; alice says GAP messages in its room; a new bot
 * over the same database starts: its first /sync is limited (the newest 50) and the adapter fills
 * the gap back to its saved sync position with /messages.
 */
async function matrixGap(file: string) {
  const hs = await new FakeHomeserver().start();
  const token = hs.register(BOT, "bot-password");
  hs.register(ALICE);
  const config = loadConfig({
    HINDSIGHT_DB: file,
    HINDSIGHT_LOG_LEVEL: "silent",
    MATRIX_HOMESERVER_URL: hs.url,
    MATRIX_ACCESS_TOKEN: token,
  });
  const start = async () => {
    const app = createApp(config, log);
    const adapter = createMatrixAdapter(config, { bot: app.bot, clock: systemClock, log });
    await adapter.start();
    return { app, adapter };
  };
  try {
    const first = await start();
    const lobby = hs.world.createRoom(ALICE, { name: "ops" });
    hs.world.invite(lobby, ALICE, BOT);
    // Said before the bot joined, the command would be history and never run.
    await hs.world.waitFor(
      (e) => e.room_id === lobby && e.state_key === BOT && e.content.membership === "join",
    );
    hs.world.say(lobby, ALICE, "!incident start Catch-up bench");
    const named = await hs.world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT);
    const room = named.room_id;
    hs.world.join(room, ALICE);
    await hs.syncedPast(BOT);
    await first.adapter.stop();
    first.app.db.close();

    const ids = Array.from({ length: GAP }, (_, i) => hs.world.say(room, ALICE, text(i)).event_id);

    const started = performance.now();
    const second = await start();
    await hs.syncedPast(BOT);
    const seconds = (performance.now() - started) / 1000;
    const stored = second.app.repos.messages.count(1);
    await second.adapter.stop();
    second.app.db.close();
    if (stored !== GAP) throw new Error(`matrix catch-up stored ${stored} of ${GAP} messages`);
    return {
      rate: GAP / seconds,
      row: (i: number): StoredRow => ({
        platform: "matrix",
        room,
        eventId: ids[i]!,
        author: ALICE,
        at: NOW + i * 1000,
        text: text(i),
      }),
    };
  } finally {
    await hs.stop();
  }
}

/**
 * An open incident bound to a Slack channel with one message stored before the bot went down;
 * the channel's history holds it and GAP newer ones. The adapter's start reads the history from
 * the stored message on (newest first in pages of 200, then again oldest page first).
 */
async function slackHistory(file: string) {
  const fake = await startFakeSlack();
  fake.users.set("UALICE", { name: "alice", tz: "UTC" });
  const config = loadConfig({
    HINDSIGHT_DB: file,
    HINDSIGHT_LOG_LEVEL: "silent",
    HINDSIGHT_CREATE_ROOMS: "false",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: fake.url,
  });
  const base = Math.floor(NOW / 1000);
  const ts = (i: number) => `${base + i}.000100`;
  try {
    const app = createApp(config, log);
    const declared = app.bot.handle({
      platform: "slack",
      actor: { id: "UALICE", name: "alice" },
      room: "CLOBBY",
      text: "/incident start Catch-up bench",
      eventId: "bench-declare",
      time: NOW,
    });
    if (declared.kind !== "ok") throw new Error(`could not declare: ${JSON.stringify(declared)}`);
    app.bot.bindRoom(1, "slack", CHANNEL);
    const before = app.bot.handle({
      platform: "slack",
      actor: { id: "UALICE", name: "alice" },
      room: CHANNEL,
      text: "seen before the bot went down",
      eventId: messageId(CHANNEL, ts(0)),
      time: NOW,
    });
    if (before.kind !== "collected") throw new Error(`not collected: ${JSON.stringify(before)}`);
    // Newest first, as the fake answers: its per-call sort then finds the order already there.
    const history = Array.from({ length: GAP + 1 }, (_, k) => {
      const i = GAP - k;
      const message = i === 0 ? "seen before the bot went down" : text(i);
      return { type: "message" as const, user: "UALICE", text: message, ts: ts(i) };
    });
    fake.history.set(CHANNEL, history);

    const started = performance.now();
    const adapter = createSlackAdapter(
      config,
      { bot: app.bot, clock: systemClock, log },
      { port: 0 },
    );
    await adapter.start();
    await adapter.idle();
    const seconds = (performance.now() - started) / 1000;
    const stored = app.repos.messages.count(1) - 1;
    await adapter.stop();
    app.db.close();
    if (stored !== GAP) throw new Error(`slack catch-up stored ${stored} of ${GAP} messages`);
    if (fake.unexpected.length > 0) throw new Error(`fake Slack: ${fake.unexpected.join(", ")}`);
    return {
      rate: GAP / seconds,
      row: (i: number): StoredRow => ({
        platform: "slack",
        room: CHANNEL,
        eventId: messageId(CHANNEL, ts(i + 1)),
        author: "UALICE",
        at: NOW + (i + 1) * 1000,
        text: text(i + 1),
      }),
    };
  } finally {
    await fake.close();
  }
}

/** GAP rows inserted one IMMEDIATE transaction each, on a fresh file like storage/database.ts's. */
function bareRate(file: string, rowOf: (i: number) => StoredRow): number {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    for (const migration of MIGRATIONS) db.exec(migration);
    db.prepare(
      `INSERT INTO incidents (id, title, severity, status, started_at, declared_at, platform, created_by)
       VALUES (1, 'Catch-up bench', 2, 'investigating', ?, ?, 'console', 'bench')`,
    ).run(NOW, NOW);
    const insert = db.prepare(
      `INSERT INTO messages (incident_id, platform, room_id, event_id, author_id, author_name, at, text)
       VALUES (1, ?, ?, ?, ?, 'alice', ?, ?)`,
    );
    const txn = db.transaction((m: StoredRow) => {
      insert.run(m.platform, m.room, m.eventId, m.author, m.at, m.text);
    });
    const started = performance.now();
    for (let i = 0; i < GAP; i++) txn.immediate(rowOf(i));
    return GAP / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}

function row(figure: string, value: number, bare: number, note: string): Row {
  const ratio = value / bare;
  return {
    bench: "catch-up",
    figure,
    value: round(value, 0),
    unit: "msgs/s",
    baseline: { label: "bare better-sqlite3 1-row txn", value: round(bare, 0) },
    ratio: round(ratio, 2),
    target: `ratio >= ${TARGET}`,
    pass: ratio >= TARGET,
    note: `${note}; from the adapter's start to all ${GAP.toLocaleString("en-US")} stored, best of ${ROUNDS}`,
  };
}
