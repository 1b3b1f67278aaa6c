import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  App,
  HTTPReceiver,
  type ReceiverEvent,
  type RespondArguments,
  type SlashCommand,
  SocketModeReceiver,
  webApi,
} from "@slack/bolt";
import { type Clock, systemClock } from "../../clock.ts";
import type { Env } from "../../config.ts";
import type { Bot } from "../../core/bot.ts";
import { createEngine, type Engine, type ExportActions } from "../../core/engine.ts";
import type { ChatSurface } from "../../core/surface.ts";
import { UserError } from "../../errors.ts";
import type { Logger } from "../../logging.ts";
import { closeServer } from "../../shutdown.ts";
import type { Adapter, AdapterDeps } from "../adapter.ts";
import { boltLogger } from "./boltLogger.ts";
import { answeringCommands, type CommandDeps, isOurCommand, onCommand } from "./commands.ts";
import { receiveEvent } from "./events.ts";
import { type CustomRoute, gatedReceiver } from "./receiver.ts";
import { type Self, whoAmI } from "./self.ts";
import { verifyingListener } from "./signature.ts";
import { createInFlight, slackErrorCode } from "./slackApi.ts";
import { slackSurface } from "./slackSurface.ts";
import { adoptOldCards } from "./upgrade.ts";
import { createUserCache, type UserCache } from "./users.ts";

export interface SlackAdapterOptions {
  bot: Bot;
  clock: Clock;
  log: Logger;
  botToken: string;
  /** xapp- token: Socket Mode. Without it, the HTTP receiver with signingSecret. */
  appToken?: string | undefined;
  signingSecret?: string | undefined;
  /** Web API base ("https://slack.com/api/"): GovSlack, or a test double */
  apiUrl?: string | undefined;
  /** HTTP receiver port (unused in Socket Mode); 0 picks a free one */
  port: number;
  announceChannel?: string | undefined;
  /** served on the HTTP receiver's port (/healthz, /metrics); ignored in Socket Mode */
  customRoutes?: CustomRoute[] | undefined;
  /** how long a command may wait for users.info before using the default zone (default 1 s) */
  profileBudgetMs?: number | undefined;
  /** how long one Web API request may take (default 10 s) */
  requestTimeoutMs?: number | undefined;
  /** how long stop() waits for work started after acks (default 4 s: a stop fits docker's 10 s) */
  stopGraceMs?: number | undefined;
  /** files action items in the issue tracker, when one is set up */
  exportActions?: ExportActions | undefined;
}

/**
 * Slack front end on Bolt: slash commands and Events API over HTTP (signed requests on
 * /slack/events) or Socket Mode. Every change is committed before Slack gets its ack; every Web
 * API call happens after it, so a slow Slack never makes a command time out.
 */
export class SlackAdapter implements Adapter {
  readonly name = "slack";
  readonly #o: SlackAdapterOptions;
  readonly #app: App;
  readonly #users: UserCache;
  readonly #engine: Engine;
  /** what the engine posts through (test/adapters/surfaceContract.ts checks it) */
  readonly surface: ChatSurface;
  /** commands whose ack went out, to unmark in one transaction after the current burst */
  #answered: string[] = [];
  readonly #inFlight: ReturnType<typeof createInFlight>;
  readonly #socket: SocketModeReceiver | undefined;
  #self: Self | undefined;
  #server: Server | undefined;
  #connected = false;
  readonly #profileBudgetMs: number;
  #onCommand: (
    command: SlashCommand,
    ack: (answer?: RespondArguments) => Promise<void>,
  ) => Promise<void> = async () => undefined;

  constructor(options: SlackAdapterOptions) {
    this.#o = options;
    this.#profileBudgetMs = options.profileBudgetMs ?? 1000;
    const { log } = options;
    const logger = boltLogger(log);
    const clientOptions = {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      // Without a timeout a call Slack never answers hangs for good, and the SDK's default
      // retries span ~30 minutes; a 429 is still waited out for its Retry-After and retried.
      timeout: options.requestTimeoutMs ?? 10_000,
      retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    };
    this.#inFlight = createInFlight((error) => log.error({ err: error }, "Slack follow-up failed"));
    let inner: HTTPReceiver | SocketModeReceiver;
    if (options.appToken) {
      this.#socket = new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        installerOptions: { clientOptions },
      });
      this.#socket.client.on("connected", () => {
        this.#connected = true;
      });
      this.#socket.client.on("disconnected", () => {
        this.#connected = false;
      });
      inner = this.#socket;
    } else {
      if (!options.signingSecret) throw new Error("Slack over HTTP needs a signing secret");
      const http = new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: "/slack/events",
        customRoutes: options.customRoutes ?? [],
        logger,
        // checked in front of it instead, at a fraction of the cost (signature.ts says why)
        signatureVerification: false,
      });
      http.requestListener = verifyingListener({
        secret: options.signingSecret,
        endpoints: ["/slack/events"],
        inner: answeringCommands({
          inner: http.requestListener,
          handle: (command, ack) => this.#onCommand(command, ack),
          log,
        }),
        log,
      });
      inner = http;
    }
    this.#app = new App({
      token: options.botToken,
      receiver: gatedReceiver(
        inner,
        (event) => this.#onEvent(event),
        // Socket Mode's commands (over HTTP, answeringCommands takes them before Bolt sees them)
        (event) =>
          isOurCommand(event.body)
            ? this.#onCommand(event.body, (answer) => event.ack(answer))
            : undefined,
      ),
      logger,
      clientOptions,
      // Bolt checks the token with auth.test on init: in start(), not in the constructor.
      deferInitialization: true,
      // Bolt's conversation store keeps per-channel state for "conversation" middleware we do not
      // use; it cost ~0.05 ms of every ack in profiles (npm run bench, Slack p99).
      convoStore: false,
    });
    const client = this.#app.client;
    this.#users = createUserCache({ client, clock: options.clock, log });
    const surface = slackSurface({
      client,
      log,
      users: this.#users,
      store: options.bot.store("slack"),
      announceChannel: options.announceChannel,
      profileBudgetMs: this.#profileBudgetMs,
      botUser: () => this.#whoami().userId,
    });
    this.surface = surface;
    this.#engine = createEngine({
      bot: options.bot,
      surface,
      clock: options.clock,
      log,
      exportActions: options.exportActions,
    });
    const commandDeps: CommandDeps = {
      bot: options.bot,
      engine: this.#engine,
      clock: options.clock,
      log,
      users: this.#users,
      self: () => this.#whoami(),
      later: (work, what) => this.#inFlight.track(work, what),
      profileBudgetMs: this.#profileBudgetMs,
      answered: (eventId) => this.#markAnswered(eventId),
    };
    this.#onCommand = (command, ack) => onCommand(commandDeps, command, ack);
    this.#app.error(async (error) => {
      log.error({ err: error }, "Slack listener failed");
    });
  }

  async start(): Promise<void> {
    // Which workspace and bot user we are: events from others, and our own messages, are skipped.
    try {
      await this.#app.init();
      this.#self = await whoAmI(this.#app.client);
    } catch (error) {
      throw startError(error);
    }
    if (this.#socket) {
      try {
        await this.#app.start();
      } catch (error) {
        // apps.connections.open is the app-level token's first use: a refusal is a setup error.
        throw startError(error, "SLACK_APP_TOKEN", "the app-level token (connections:write)");
      }
      this.#connected = true;
    } else {
      this.#server = (await this.#app.start(this.#o.port)) as Server;
    }
    this.#o.log.info(
      {
        team: this.#self.teamId,
        transport: this.#socket ? "socket-mode" : "http",
        port: this.port,
      },
      "Slack connected",
    );
    adoptOldCards(this.#o.bot);
    // In the background, like every other Web API call: the start does not wait for history.
    // Commands a crash left unanswered are answered first, then channel openings it cut short
    // are finished; then what was said while away.
    this.#inFlight.track(
      this.#engine
        .answerUnanswered()
        .then(() => this.#engine.resumeRooms())
        .then(() => this.#engine.catchUp()),
      "catch-up of incident channels",
    );
  }

  /**
   * The unmarking of answered commands waits for the end of the current burst of requests and is
   * written in one transaction: a write of its own after every ack would slow the next acks.
   */
  #markAnswered(eventId: string): void {
    this.#answered.push(eventId);
    if (this.#answered.length === 1) setImmediate(() => this.#flushAnswered());
  }

  #flushAnswered(): void {
    const ids = this.#answered;
    this.#answered = [];
    if (ids.length === 0) return;
    try {
      this.#o.bot.answered("slack", ids);
    } catch (error) {
      this.#o.log.warn({ err: error }, "could not record that commands were answered");
    }
  }

  async stop(): Promise<void> {
    // Bolt's stop() closes the receiver's server, which waits for any client stalled mid-request:
    // a delivery under way gets 2 s, then its connection is cut (Slack retries it).
    const server = this.#server;
    if (server) await closeServer(server, 2000, () => this.#app.stop());
    else await this.#app.stop();
    this.#flushAnswered();
    this.#connected = false;
    // Work after an ack is finished if it can be; a Slack that does not answer must not keep
    // the process from stopping (each call has its own timeout, but retries add up).
    const abandoned = await this.#inFlight.settle(this.#o.stopGraceMs ?? 4000);
    if (abandoned.length > 0)
      this.#o.log.warn({ abandoned }, "stopped with Slack calls unfinished; they are abandoned");
  }

  /** Reminders: through the engine, tracked like work after an ack so stop() can settle it. */
  postToIncidentRoom(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void> {
    const work = this.#engine.postToIncidentRoom(incidentId, text, options);
    this.#inFlight.track(work, `a timer's line for INC-${incidentId}`);
    return work;
  }

  /** An alert's incident: through the engine, tracked like work after an ack. */
  openIncident(incidentId: number, source: string): Promise<void> {
    const work = this.#engine.openIncident(incidentId, source);
    this.#inFlight.track(work, `opening INC-${incidentId}`);
    return work;
  }

  /** Listening (HTTP) or connected (Socket Mode). */
  healthy(): boolean {
    return this.#socket ? this.#connected : this.#server?.listening === true;
  }

  /** The HTTP receiver's port actually bound (tests start on port 0); none in Socket Mode. */
  get port(): number | undefined {
    if (this.#socket) return undefined;
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  /** Resolves when every Web API call started after an ack has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.#inFlight.idle();
  }

  #whoami(): Self {
    if (!this.#self) throw new Error("the Slack adapter has not started");
    return this.#self;
  }

  async #onEvent(event: ReceiverEvent): Promise<void> {
    const after = await receiveEvent(
      {
        bot: this.#o.bot,
        engine: this.#engine,
        clock: this.#o.clock,
        log: this.#o.log,
        users: this.#users,
        self: () => this.#whoami(),
        profileBudgetMs: this.#profileBudgetMs,
      },
      event.body,
    );
    await event.ack();
    if (after) this.#inFlight.track(after(), `follow-up of a ${eventType(event.body)} event`);
  }
}

/** What kind of event a delivery carried, for logs. */
function eventType(body: unknown): string {
  const event = (body as { event?: { type?: unknown } } | undefined)?.event;
  return typeof event?.type === "string" ? event.type : "Slack";
}

/** Slack refusing the token is a setup problem: one clear line, not a stack trace. */
function startError(error: unknown, setting = "SLACK_BOT_TOKEN", what = "the bot token"): Error {
  const code = slackErrorCode(error);
  if (code === "invalid_auth" || code === "not_authed" || code === "account_inactive")
    return new UserError(`Slack refused ${setting} (${code}): check ${what}`);
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(`cannot reach Slack's Web API: ${reason}`);
}

/** Slack's own knobs, for tests and the benchmark; `hindsight start` uses the defaults. */
export type SlackTuning = Partial<
  Pick<
    SlackAdapterOptions,
    "port" | "profileBudgetMs" | "requestTimeoutMs" | "stopGraceMs" | "announceChannel"
  >
>;

/** The adapter as `hindsight start` configures it (SLACK_* variables, see docs/slack.md). */
export function createSlackAdapter(
  config: Env,
  deps: AdapterDeps,
  tuning: SlackTuning = {},
): SlackAdapter {
  if (!config.SLACK_BOT_TOKEN) throw new Error("SLACK_BOT_TOKEN is not set");
  return new SlackAdapter({
    bot: deps.bot,
    clock: deps.clock ?? systemClock,
    log: deps.log,
    botToken: config.SLACK_BOT_TOKEN,
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    port: config.PORT,
    announceChannel: config.SLACK_ANNOUNCE_CHANNEL,
    customRoutes: deps.routes,
    exportActions: deps.exportActions,
    ...tuning,
  });
}
