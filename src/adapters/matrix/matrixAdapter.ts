import type { MatrixClient } from "matrix-js-sdk";
import { type Clock, systemClock } from "../../clock.ts";
import { ConfigError, type Env } from "../../config.ts";
import type { Bot } from "../../core/bot.ts";
import { createEngine, type Engine, type ExportActions } from "../../core/engine.ts";
import type { ChatSurface } from "../../core/surface.ts";
import type { Logger } from "../../logging.ts";
import type { Adapter, AdapterDeps } from "../adapter.ts";
import { handleBatch } from "./batch.ts";
import { type E2ee, openE2ee } from "./e2ee.ts";
import { roomHistory } from "./history.ts";
import { invitePolicy } from "./invitePolicy.ts";
import { matrixSurface } from "./matrixSurface.ts";
import { createOutbox } from "./outbox.ts";
import type { RetryOptions } from "./retry.ts";
import { describe } from "./retry.ts";
import { createRouter, type Router } from "./router.ts";
import { routeGlobalSdkLogger } from "./sdkLogger.ts";
import { type Credentials, openSession } from "./session.ts";
import { runSyncLoop } from "./syncLoop.ts";
import { undecryptables } from "./undecryptable.ts";

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
  /** files action items in the issue tracker, when one is set up */
  exportActions?: ExportActions | undefined;
  /** where the crypto store is kept (`<HINDSIGHT_DB>.crypto`); undefined: in memory only */
  cryptoFile?: string | undefined;
  /** MATRIX_CRYPTO_PASSPHRASE: encrypts the crypto store's contents */
  cryptoPassphrase?: string | undefined;
  /** MATRIX_SHARE_KEYS_WITH */
  shareKeysWith?: "all" | "signed";
  /** MATRIX_ENCRYPT_ROOMS */
  encryptRooms?: "auto" | "always" | "never";
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
  #surface: ChatSurface | undefined;
  #engine: Engine | undefined;
  #e2ee: E2ee | undefined;

  constructor(options: MatrixOptions) {
    this.#o = options;
  }

  /** what the engine posts through, once started (test/adapters/surfaceContract.ts checks it) */
  get surface(): ChatSurface | undefined {
    return this.#surface;
  }

  get userId(): string | undefined {
    return this.#client?.getUserId() ?? undefined;
  }

  async start(): Promise<void> {
    const { bot, log } = this.#o;
    routeGlobalSdkLogger(log);
    const store = bot.store("matrix");
    const { client, userId } = await openSession(this.#o, store, log).catch((error: unknown) => {
      // A settings problem for the operator: one clear line (no stack, no token), exit code 2.
      throw new ConfigError(
        `Matrix login at ${this.#o.homeserverUrl} failed: ${describe(error)} (check MATRIX_ACCESS_TOKEN, or MATRIX_USER_ID and MATRIX_PASSWORD)`,
      );
    });
    this.#client = client;
    const signal = this.#abort.signal;
    const retry: RetryOptions = {
      log,
      signal,
      ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
    };
    const deviceId = client.getDeviceId();
    if (!deviceId)
      throw new ConfigError(
        "Matrix: the homeserver named no device for the bot's access token, and end-to-end encryption needs one (use a token from a login, or MATRIX_USER_ID and MATRIX_PASSWORD)",
      );
    const file = this.#o.cryptoFile;
    const e2ee = await openE2ee({
      client,
      userId,
      deviceId,
      file,
      passphrase: this.#o.cryptoPassphrase,
      password: this.#o.password,
      shareWith: this.#o.shareKeysWith ?? "all",
      state: store,
      log,
      retry,
    }).catch((error: unknown) => {
      throw new ConfigError(`Matrix end-to-end encryption could not start: ${describe(error)}`);
    });
    this.#e2ee = e2ee;
    const outbox = createOutbox(client, log, retry, e2ee);
    const undecryptable = undecryptables({ state: store, e2ee, outbox, log });
    // The surface reads history through the router (raw events to neutral ones), and the
    // router hands what it reads to the engine, which posts through the surface.
    let router: Router | undefined;
    const surface = matrixSurface({
      outbox,
      log,
      userId,
      announceRoom: this.#o.announceRoom,
      encryptRooms: this.#o.encryptRooms ?? "auto",
      encryption: e2ee,
      history: (roomId, range) =>
        roomHistory(
          { client, retry, toIncoming: (r, e) => router!.toIncoming(r, e) },
          roomId,
          range,
        ),
    });
    this.#surface = surface;
    const engine = createEngine({
      bot,
      surface,
      clock: this.#o.clock,
      log,
      exportActions: this.#o.exportActions,
    });
    this.#engine = engine;
    router = createRouter({
      bot,
      engine,
      e2ee,
      undecryptable,
      log,
      now: () => this.#o.clock.now(),
      userId,
      signal,
      encryptionOf: (roomId) => outbox.encryption(roomId),
    });
    const policy = invitePolicy(this.#o.allowedUsers, userId);
    log.info({ userId, invitesFrom: policy.patterns }, "Matrix adapter starting");
    this.#running = true;
    this.#loop = runSyncLoop({
      client,
      state: store,
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
          bot,
          engine,
          router: router!,
          e2ee,
          undecryptable,
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

  /** A timer's line, through the engine once started (before that there is nowhere to post). */
  async postToIncidentRoom(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void> {
    await this.#engine?.postToIncidentRoom(incidentId, text, options);
  }

  /** An alert's incident, through the engine once started. */
  async openIncident(incidentId: number, source: string): Promise<void> {
    await this.#engine?.openIncident(incidentId, source);
  }

  /**
   * Stops the loop: waits and in-flight requests are cut short (a stop never waits out a backoff
   * or a hung request); a batch in progress is not saved as done, so it comes back on restart.
   */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#client?.http.abort();
    await this.#loop;
    await this.#e2ee?.close();
    this.#client?.stopClient();
  }

  healthy(): boolean {
    const timeout = this.#o.syncTimeoutMs ?? 30_000;
    // A long poll may legitimately last `timeout`; allow that plus a margin for slow servers.
    return this.#running && this.#o.clock.now() - this.#lastSync < timeout + 60_000;
  }
}

/** Matrix's own knobs, for tests; `hindsight start` uses the defaults. */
export type MatrixTuning = Partial<
  Pick<MatrixOptions, "syncTimeoutMs" | "timelineLimit" | "sleep" | "announceRoom">
>;

/** The adapter as `hindsight start` configures it (MATRIX_* variables, see docs/matrix.md). */
export function createMatrixAdapter(
  config: Env,
  deps: AdapterDeps,
  tuning: MatrixTuning = {},
): MatrixAdapter {
  if (!config.MATRIX_HOMESERVER_URL) throw new Error("MATRIX_HOMESERVER_URL is not set");
  return new MatrixAdapter({
    bot: deps.bot,
    clock: deps.clock ?? systemClock,
    log: deps.log,
    homeserverUrl: config.MATRIX_HOMESERVER_URL,
    accessToken: config.MATRIX_ACCESS_TOKEN,
    userId: config.MATRIX_USER_ID,
    password: config.MATRIX_PASSWORD,
    allowedUsers: config.MATRIX_ALLOWED_USERS,
    announceRoom: config.MATRIX_ANNOUNCE_ROOM,
    exportActions: deps.exportActions,
    cryptoFile: config.HINDSIGHT_DB === ":memory:" ? undefined : `${config.HINDSIGHT_DB}.crypto`,
    cryptoPassphrase: config.MATRIX_CRYPTO_PASSPHRASE,
    shareKeysWith: config.MATRIX_SHARE_KEYS_WITH,
    encryptRooms: config.MATRIX_ENCRYPT_ROOMS,
    ...tuning,
  });
}
