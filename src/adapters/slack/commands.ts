import type { IncomingMessage, RequestListener } from "node:http";
import { parse as parseForm } from "node:querystring";
import { HTTPModuleFunctions, type RespondArguments, type SlashCommand } from "@slack/bolt";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import type { Engine } from "../../core/engine.ts";
import type { Actor } from "../../core/invocation.ts";
import type { Logger } from "../../logging.ts";
import type { Self } from "./self.ts";
import { isVerified } from "./signature.ts";
import { fromSlackText, renderReply } from "./text.ts";
import type { Profile, UserCache } from "./users.ts";

/** The slash commands of slack/manifest.yml. */
export const SLASH_COMMANDS = ["/incident", "/timeline", "/action", "/postmortem"] as const;

export interface CommandDeps {
  bot: Bot;
  engine: Engine;
  log: Logger;
  clock: Clock;
  users: UserCache;
  self: () => Self;
  /** runs work after the ack without holding the listener (tracked for stop() and tests) */
  later: (work: Promise<unknown>, what: string) => void;
  /** how long a command may wait for the caller's profile before using the default zone */
  profileBudgetMs: number;
  /** the ack carrying this command's answer went out: its "unanswered" mark can go */
  answered: (eventId: string) => void;
}

/** The HTTP/WebSocket answer to a command: its reply, for the channel or only for the caller. */
export function ackFor(result: HandleResult): RespondArguments | undefined {
  if (result.kind === "ok") {
    return {
      response_type: result.reply.visibility === "channel" ? "in_channel" : "ephemeral",
      text: renderReply(result.reply),
    };
  }
  if (result.kind === "user-error" || result.kind === "internal-error")
    return { response_type: "ephemeral", text: renderReply(result.reply) };
  // A replay whose first delivery committed but never got its ack out (a crash): answer now.
  if (result.kind === "duplicate" && result.unanswered && result.reply) {
    const { reply } = result;
    return {
      response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral",
      text: renderReply(reply),
    };
  }
  // duplicate (Slack retried after a lost ack): the first delivery already answered.
  return undefined;
}

/** One of ours: the receiver hands it to `onCommand` rather than to Bolt's listener chain. */
export const isOurCommand = (body: unknown): body is SlashCommand =>
  SLASH_COMMANDS.includes((body as { command?: unknown } | undefined)?.command as never);

/**
 * The HTTP receiver's request listener with our slash commands answered in front of Bolt's: a
 * form post whose signature verifyingListener checked (signature.ts: it buffers the body as
 * `rawBody`, as Bolt's own check does) and whose `command` is ours goes to `handle` with an ack
 * written by Bolt's own response builder (200, the JSON answer or an empty body). Everything
 * else (events, interactivity, ssl_check, custom routes) goes on to Bolt unchanged.
 *
 * Bolt's receiver did nothing for these four commands that this does not (parse the form, ack
 * once), but a timer, an ack object and a round through its processEvent per request cost
 * about a tenth of each ack's CPU under 50 concurrent commands (npm run bench, Slack).
 */
export function answeringCommands(o: {
  inner: RequestListener;
  handle: (
    command: SlashCommand,
    ack: (answer?: RespondArguments) => Promise<void>,
  ) => Promise<void>;
  log: Logger;
}): RequestListener {
  return (req, res) => {
    const command = ourCommand(req);
    if (!command) {
      o.inner(req, res);
      return;
    }
    let acked = false;
    const ack = async (answer?: RespondArguments): Promise<void> => {
      if (acked) throw new Error("a slash command is acknowledged once");
      acked = true;
      HTTPModuleFunctions.buildContentResponse(res, answer);
    };
    o.handle(command, ack).catch((error: unknown) => {
      o.log.error({ err: error }, "slash command failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

function ourCommand(req: IncomingMessage): SlashCommand | undefined {
  if (!isVerified(req)) return undefined;
  const raw = (req as IncomingMessage & { rawBody?: unknown }).rawBody;
  if (!Buffer.isBuffer(raw)) return undefined;
  // As Bolt reads a body (HTTPModuleFunctions.parseHTTPRequestBody): a form unless it is JSON.
  if (req.headers["content-type"] !== "application/x-www-form-urlencoded") return undefined;
  const form: unknown = parseForm(raw.toString());
  return isOurCommand(form) ? form : undefined;
}

/**
 * Each slash command: the caller's profile (cached), the command run and committed by the core,
 * then the ack carrying the reply, and only then the Web API calls its effects need. A slow
 * Slack API therefore never delays the ack.
 *
 * Called by `answeringCommands` over HTTP and by the receiver (receiver.ts) in Socket Mode, never
 * through Bolt's App: its per-event context, middleware and listener matching did nothing for
 * four fixed commands but cost every ack (npm run bench, Slack).
 */
export async function onCommand(
  deps: CommandDeps,
  command: SlashCommand,
  ack: (answer?: RespondArguments) => Promise<void>,
): Promise<void> {
  if (command.team_id !== deps.self().teamId) {
    await ack({
      response_type: "ephemeral",
      text: "This Hindsight serves another Slack workspace; its commands do not work here.",
    });
    return;
  }
  const received = deps.clock.now();
  let result: HandleResult;
  let profile: Profile | undefined;
  try {
    profile = await deps.users.lookup(command.user_id, deps.profileBudgetMs);
    result = run(deps, command, profile);
  } catch (error) {
    // The core turns command failures into replies; this is for the unforeseen (a full disk).
    deps.log.error({ err: error }, "slash command failed");
    await ack({ response_type: "ephemeral", text: "Something went wrong; nothing was saved." });
    return;
  }
  const answer = ackFor(result);
  if (result.kind === "duplicate") {
    if (answer) await answerReplay(deps, command, result, { answer, ack, received });
    else await ack(undefined);
  } else {
    await ack(answer);
    // Marked undelivered with the commit (run below); internal errors commit nothing.
    const marked =
      answer !== undefined && Boolean(command.response_url) && result.kind !== "internal-error";
    if (marked)
      settleAnswer(deps, command, result, received, (unmark) => {
        if (unmark) deps.answered(eventIdOf(command));
      });
  }
  if (!profile) deps.later(deps.users.warm(command.user_id), "users.info");
  if (!deps.engine.hasFollowUp(result)) return;
  deps.later(
    deps.engine.followUp(result, {
      room: command.channel_id,
      user: command.user_id,
      // Slack sends a response_url with every command; it reaches channels the bot is not in.
      via: command.response_url || undefined,
    }),
    `follow-up of ${command.command}`,
  );
}

/**
 * A replay of a command whose answer never went out (Socket Mode redelivers an envelope it saw
 * no ack for): this ack carries the stored answer and the mark is dropped, unless the engine got
 * that answer out through the response_url meanwhile (after a restart, or late); then the ack is
 * empty, so the caller gets it once (engine `replayAnswer`).
 */
async function answerReplay(
  deps: CommandDeps,
  command: SlashCommand,
  result: HandleResult,
  o: {
    answer: RespondArguments;
    ack: (answer?: RespondArguments) => Promise<void>;
    received: number;
  },
): Promise<void> {
  const replay = await deps.engine.replayAnswer(eventIdOf(command));
  if (!replay.carry) {
    replay.done(false);
    await o.ack(undefined);
    return;
  }
  let acked = false;
  try {
    await o.ack(o.answer);
    acked = true;
  } finally {
    if (acked) settleAnswer(deps, command, result, o.received, replay.done);
    else replay.done(false);
  }
}

/**
 * After an ack that carried a marked answer: `unmark(true)` when it went out in time; when it
 * came too late for Slack, `unmark(false)` and the answer is sent again (`answerLate`).
 */
function settleAnswer(
  deps: CommandDeps,
  command: SlashCommand,
  result: HandleResult,
  received: number,
  unmark: (inTime: boolean) => void,
): void {
  const tookMs = deps.clock.now() - received;
  const late = tookMs > LATE_ACK_MS;
  unmark(!late);
  if (late)
    deps.later(answerLate(deps, command, result, tookMs), `late answer of ${command.command}`);
}

/**
 * Slack gives up on an ack after 3 s from its side and shows the caller a timeout (slash commands
 * are not retried); the request's way to us and its wait before the command ran count against
 * that, so an ack later than this after the command reached us may not have been seen.
 */
export const LATE_ACK_MS = 2500;

/**
 * An ack Slack may have dropped (a command that waited on a busy database, say): the stored
 * answer is posted again through the response_url, as after a crash (engine `reanswer`: not if a
 * redelivery answered it meanwhile, and the follow-up is not redone), and only then unmarked; if
 * the post fails, the next start answers it (engine `answerUnanswered`).
 */
async function answerLate(
  deps: CommandDeps,
  command: SlashCommand,
  result: HandleResult,
  tookMs: number,
): Promise<void> {
  deps.log.warn(
    { command: command.command, channel: command.channel_id, ms: tookMs },
    "slash command acknowledged after Slack's deadline: answering again through its response_url",
  );
  const reply = "reply" in result ? result.reply : undefined;
  if (!reply) return;
  // As ackFor answers: a refusal is for the caller only.
  const shown = result.kind === "user-error" ? { ...reply, visibility: "caller" as const } : reply;
  await deps.engine.reanswer(eventIdOf(command), shown, {
    room: command.channel_id,
    user: command.user_id,
    via: command.response_url,
  });
}

/** trigger_id is unique per invocation; a Socket Mode reconnect can replay an unacked envelope. */
const eventIdOf = (command: SlashCommand) => `command:${command.trigger_id}`;

function run(deps: CommandDeps, command: SlashCommand, profile: Profile | undefined): HandleResult {
  const actor: Actor = {
    id: command.user_id,
    name: profile?.name ?? command.user_name,
    ...(profile?.timezone ? { timezone: profile.timezone } : {}),
  };
  const invocation = {
    platform: "slack" as const,
    actor,
    room: command.channel_id,
    text: `${command.command} ${fromSlackText(command.text ?? "")}`,
    eventId: eventIdOf(command),
    time: deps.clock.now(),
  };
  // The answer is marked undelivered with the commit and unmarked once the ack is out: after a
  // crash between the two, the restarted bot answers through the response_url instead.
  const via = command.response_url || undefined;
  return deps.bot.handle(
    invocation,
    via ? { unanswered: { room: command.channel_id, user: command.user_id, via } } : {},
  );
}
