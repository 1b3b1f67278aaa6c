import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import {
  createMatrixAdapter,
  type MatrixAdapter,
  type MatrixTuning,
} from "../../../src/adapters/matrix/matrixAdapter.ts";
import { type App, createApp } from "../../../src/app.ts";
import { systemClock } from "../../../src/clock.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Bot } from "../../../src/core/bot.ts";
import { FakeHomeserver } from "../../fakes/homeserver.ts";

export const BOT = "@hindsight:fake.test";
export const ALICE = "@alice:fake.test";
export const MALLORY = "@mallory:evil.test";

/**
 * A fake homeserver plus a bot over a real SQLite file, so a test can stop the adapter and start
 * a new one over the same database (a restart).
 */
export async function matrixHarness(
  options: { env?: Record<string, string>; log?: pino.Logger } = {},
) {
  const hs = await new FakeHomeserver().start();
  const token = hs.register(BOT, "bot-password");
  hs.register(ALICE);
  const dir = mkdtempSync(join(tmpdir(), "hindsight-matrix-"));
  const log = options.log ?? pino({ level: process.env.TEST_LOG ?? "silent" });
  const apps: App[] = [];
  const adapters: MatrixAdapter[] = [];
  const env = {
    HINDSIGHT_DB: join(dir, "h.db"),
    MATRIX_HOMESERVER_URL: hs.url,
    MATRIX_ACCESS_TOKEN: token,
    ...options.env,
  };

  /**
   * Starts a bot (a new process, as far as the database can tell). `wrapBot` lets a test break
   * one core call; backoffs and retry waits take no time (`sleep` resolves at once).
   */
  async function startBot(extra: MatrixTuning = {}, wrapBot: (bot: Bot) => Bot = (bot) => bot) {
    const config = loadConfig(env);
    const app = createApp(config, log);
    apps.push(app);
    const adapter = createMatrixAdapter(
      config,
      { bot: wrapBot(app.bot), clock: systemClock, log },
      {
        syncTimeoutMs: 5_000,
        timelineLimit: 10,
        sleep: () => new Promise<void>((resolve) => setImmediate(resolve)),
        ...extra,
      },
    );
    adapters.push(adapter);
    await adapter.start();
    return { app, adapter, repos: app.repos };
  }

  async function stopBot(): Promise<void> {
    const adapter = adapters.pop();
    await adapter?.stop();
    apps.pop()?.db.close();
  }

  return {
    hs,
    world: hs.world,
    /** HINDSIGHT_DB: the crypto store lives beside it */
    dbPath: env.HINDSIGHT_DB,
    /** the settings the next startBot reads (a test may change them between starts) */
    env: env as Record<string, string>,
    startBot,
    stopBot,
    /** Waits until the bot has handled everything that happened so far. */
    settled: () => hs.syncedPast(BOT),
    /** The bot's notices in a room, oldest first. */
    notices: (roomId: string) =>
      hs.world
        .find(roomId, (e) => e.sender === BOT && e.content.msgtype === "m.notice")
        .map((e) => e.content),
    async close(): Promise<void> {
      while (adapters.length > 0) await stopBot();
      await hs.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type MatrixHarness = Awaited<ReturnType<typeof matrixHarness>>;

/** Alice's room "ops" with the bot invited and joined; returns the room id. */
export async function lobbyWithBot(h: MatrixHarness): Promise<string> {
  const lobby = h.world.createRoom(ALICE, { name: "ops" });
  h.world.invite(lobby, ALICE, BOT);
  await h.world.waitFor(
    (e) => e.room_id === lobby && e.state_key === BOT && e.content.membership === "join",
  );
  return lobby;
}

/** The bot running, invited by alice, INC-1 declared and alice in its room. */
export async function incidentRoom(h: MatrixHarness, title = "Downtime") {
  const started = await h.startBot();
  const lobby = await lobbyWithBot(h);
  h.world.say(lobby, ALICE, `!incident start ${title}`);
  const named = await h.world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT);
  const room = named.room_id;
  h.world.join(room, ALICE);
  await h.settled();
  return { ...started, lobby, room };
}
