import type { MatrixClient } from "matrix-js-sdk";
import type { App } from "../../app.ts";
import { type Clock, systemClock } from "../../clock.ts";
import { ConfigError, type Env } from "../../config.ts";
import type { Bot } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import type { Adapter } from "../adapter.ts";
import { backfill } from "./backfill.ts";
import { handleBatch } from "./batch.ts";
import { type IncidentRooms, incidentRooms } from "./incidentRooms.ts";
import { invitePolicy } from "./invitePolicy.ts";
import { createOutbox } from "./outbox.ts";
import type { RetryOptions } from "./retry.ts";
import { describe } from "./retry.ts";
import { createRouter, type Router } from "./router.ts";
import { routeGlobalSdkLogger } from "./sdkLogger.ts";
import { type Credentials, openSession } from "./session.ts";
import { runSyncLoop } from "./syncLoop.ts";

export interface MatrixOptions extends Credentials {
  bot: Bot;
  clock: Clock;
  log: Logger;
  /** MATRIX_ALLOWED_USERS: globs of who may invite the bot */
  allowedUsers?: string | undefined;
  /** MATRIX_ANNOUNCE_ROOM: room id or alias where new incidents are announced */
  announceRoom?: string | undefined;
  /** long-poll timeout of /sync (default 30 s) */
  syncTimeoutMs?: number;
  /** most timeline events per room in one /sync (default 50) */
  timelineLimit?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The Matrix front end: logs in, follows /sync, hands events to the core and renders replies.
 * Healthy while the sync loop runs and its last /sync succeeded recently.
 */
export class MatrixAdapter implements Adapter {
  readonly name = "matrix";
  readonly #o: MatrixOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #client: MatrixClient | undefined;
  #lastSync = 0;
  #running = false;
  #rooms: IncidentRooms | undefined;

  constructor(options: MatrixOptions) {
    this.#o = options;
  }

  get userId(): string | undefined {
    return this.#client?.getUserId() ?? undefined;
  }

  async start(): Promise<void> {
    const { bot, log } = this.#o;
    routeGlobalSdkLogger(log);
    const { client, userId } = await openSession(this.#o, bot.repos.state, log).catch(
      (error: unknown) => {
        // A settings problem for the operator: one clear line (no stack, no token), exit code 2.
        throw new ConfigError(
          `Matrix login at ${this.#o.homeserverUrl} failed: ${describe(error)} (check MATRIX_ACCESS_TOKEN, or MATRIX_USER_ID and MATRIX_PASSWORD)`,
        );
      },
    );
    this.#client = client;
    const signal = this.#abort.signal;
    const retry: RetryOptions = {
      log,
      signal,
      ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
    };
    const outbox = createOutbox(client, log, retry);
    // The router hands replies to the rooms, and the rooms backfill through the router.
    let router: Router | undefined;
    const rooms = incidentRooms({
      bot,
      outbox,
      clock: this.#o.clock,
      log,
      announceRoom: this.#o.announceRoom,
      backfillRoom: (roomId) =>
        backfill(roomId, { client, router: router!, retry, from: undefined, mode: "history" }),
    });
    this.#rooms = rooms;
    router = createRouter({ bot, outbox, rooms, log, clock: this.#o.clock, userId, signal });
    const policy = invitePolicy(this.#o.allowedUsers, userId);
    log.info({ userId, invitesFrom: policy.patterns }, "Matrix adapter starting");
    this.#running = true;
    this.#loop = runSyncLoop({
      client,
      state: bot.repos.state,
      log,
      userId,
      timeoutMs: this.#o.syncTimeoutMs ?? 30_000,
      timelineLimit: this.#o.timelineLimit ?? 50,
      signal,
      onSuccess: () => {
        this.#lastSync = this.#o.clock.now();
      },
      onBatch: (sync, at) =>
        handleBatch(sync, at, {
          client,
          bot,
          router,
          outbox,
          retry,
          log,
          userId,
          allows: policy.allows,
        }),
      ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
    })
      .catch((error: unknown) => {
        if (!this.#abort.signal.aborted)
          log.error({ err: describe(error) }, "Matrix sync loop stopped");
      })
      .finally(() => {
        this.#running = false;
      });
  }

  /**
   * Stops the loop: waits and in-flight requests are cut short (a stop never waits out a backoff
   * or a hung request); a batch in progress is not saved as done, so it comes back on restart.
   */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#client?.http.abort();
    await this.#loop;
    this.#client?.stopClient();
  }

  /** Reminders: a notice in the incident's Matrix room, if it has one. */
  async postToIncidentRoom(incidentId: number, text: string): Promise<void> {
    await this.#rooms?.remind(incidentId, text);
  }

  healthy(): boolean {
    const timeout = this.#o.syncTimeoutMs ?? 30_000;
    // A long poll may legitimately last `timeout`; allow that plus a margin for slow servers.
    return this.#running && this.#o.clock.now() - this.#lastSync < timeout + 60_000;
  }
}

/** The adapter as `hindsight start` configures it from the environment. */
export function createMatrixAdapter(config: Env, app: App, log: Logger): MatrixAdapter {
  return new MatrixAdapter({
    bot: app.bot,
    clock: systemClock,
    log,
    homeserverUrl: config.MATRIX_HOMESERVER_URL!,
    accessToken: config.MATRIX_ACCESS_TOKEN,
    userId: config.MATRIX_USER_ID,
    password: config.MATRIX_PASSWORD,
    allowedUsers: config.MATRIX_ALLOWED_USERS,
    announceRoom: config.MATRIX_ANNOUNCE_ROOM,
  });
}
