import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { isUserError, UserError } from "../errors.ts";
import type { IncidentService } from "../incidents/service.ts";
import type { Stores } from "../incidents/stores.ts";
import { isValidZone } from "../incidents/time/zone.ts";
import type { Incident } from "../incidents/types.ts";
import { type Command, type CommandContext, type Settings, usageOf } from "./command.ts";
import { type Parsed, parseCommandLine } from "./commandLine.ts";
import { internalFailure } from "./failure.ts";
import type { Invocation } from "./invocation.ts";
import type { Registry } from "./registry.ts";
import { type Reply, reply } from "./reply.ts";
import { scanOptions } from "./scan.ts";

/** Where a command's answer goes if its ack never got out (Slack: a crash before the ack). */
export interface Unanswered {
  room: string;
  user: string;
  /** Slack's response_url */
  via?: string;
}

export interface DispatchContext {
  /** the transaction and the event log (handled event ids, stored replies) */
  stores: Stores;
  incidents: IncidentService;
  clock: Clock;
  log: Logger;
  settings: Settings;
}

export type Outcome =
  | { kind: "not-a-command" }
  /**
   * a redelivery: nothing ran again; `reply` is what the first delivery was answered, and
   * `unanswered` where it goes when that answer never got out
   */
  | { kind: "duplicate"; reply?: Reply; unanswered?: Unanswered }
  /** `incident`: the one the command acted on, so an adapter can reach its room (draft delivery) */
  | { kind: "ok"; reply: Reply; command?: Command; incident?: Incident }
  | { kind: "user-error"; reply: Reply; command?: Command }
  | { kind: "internal-error"; reply: Reply; ref: string; command?: Command };

const COMMAND_LINE = /^\s*[/!]([A-Za-z][\w-]*)(?=\s|$)([\s\S]*)$/;

/**
 * Is this text shaped like a command (`/word …` or `!word …`)? What a backfill must not replay
 * as a live command; everything else (`!!! db down`, `/var/log is full`) is a plain message.
 * A line of this shape whose word is no command (`/pm draft`, `/foo`) is answered with the
 * closest command, never collected as chat.
 */
export function isCommandLine(text: string): boolean {
  return COMMAND_LINE.test(text);
}

/**
 * (registry, invocation, context) → outcome. A command runs in one transaction together with the
 * record of its platform event id and its reply, so a redelivery finds the id taken and changes
 * nothing. The id is looked up first and written last, with the reply: one write, not two.
 */
export function dispatch(
  registry: Registry,
  invocation: Invocation,
  ctx: DispatchContext,
  unanswered?: Unanswered,
): Outcome {
  const line = COMMAND_LINE.exec(invocation.text);
  if (!line) return { kind: "not-a-command" };
  const word = line[1]!.toLowerCase();
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(registry, word, line[2]!);
  } catch (error) {
    return failed(error, invocation, ctx, undefined, unanswered);
  }
  if (parsed.kind === "help") {
    try {
      return recordOnly(invocation, ctx, parsed.reply, unanswered)
        ? { kind: "ok", reply: parsed.reply }
        : duplicate(invocation, ctx);
    } catch (error) {
      return internal(error, invocation, ctx, undefined);
    }
  }

  const { command, ref, rest } = parsed;
  try {
    return ctx.stores.transaction((): Outcome => {
      if (invocation.eventId && ctx.stores.events.seen(invocation.platform, invocation.eventId)) {
        return duplicate(invocation, ctx);
      }
      const context = commandContext(invocation, ctx);
      const incident =
        command.incident === "required"
          ? resolveIncident(ctx.incidents, invocation, ref)
          : undefined;
      const input = scanOptions(rest, command.options);
      const answer = command.execute(input, context, incident);
      // Looked up above in this same IMMEDIATE transaction: nobody can have recorded it since.
      if (!remember(invocation, ctx, answer, unanswered))
        throw new Error(`event ${invocation.eventId} was recorded during its own command`);
      return { kind: "ok", reply: answer, command, ...(incident ? { incident } : {}) };
    });
  } catch (error) {
    return failed(error, invocation, ctx, command, unanswered);
  }
}

function commandContext(invocation: Invocation, ctx: DispatchContext): CommandContext {
  const own = invocation.actor.timezone;
  return {
    invocation,
    actor: invocation.actor,
    now: invocation.time,
    zone: own && isValidZone(own) ? own : ctx.settings.timezone,
    clock: ctx.clock,
    log: ctx.log,
    incidents: ctx.incidents,
    settings: ctx.settings,
  };
}

/** Which incident: an explicit INC-7/#7, else the room's own, else a helpful error. */
export function resolveIncident(
  incidents: IncidentService,
  invocation: Invocation,
  ref: number | undefined,
): Incident {
  if (ref !== undefined) {
    const incident = incidents.get(ref);
    if (!incident) throw new UserError(`INC-${ref} does not exist`);
    return incident;
  }
  const own = incidents.forRoom(invocation.platform, invocation.room);
  if (own) return own;
  const open = incidents.list({ all: false }).slice(0, 5);
  const list =
    open.length > 0
      ? ` Open: ${open.map((i) => `INC-${i.id} ${i.title}`).join(", ")}.`
      : " There are no open incidents.";
  throw new UserError(
    `this room is not an incident's room: name one, e.g. INC-7 right after the command.${list}`,
  );
}

/** Records the event id with the reply it gets, in one transaction; false for a redelivery. */
function recordOnly(
  invocation: Invocation,
  ctx: DispatchContext,
  answer: Reply,
  unanswered: Unanswered | undefined,
): boolean {
  if (!invocation.eventId) return true;
  return ctx.stores.transaction(() => remember(invocation, ctx, answer, unanswered));
}

/**
 * Records the event id with its reply, in the same transaction as the work, so a replay can be
 * answered the same; false when the id was recorded already. With `unanswered` the answer is
 * kept marked as not yet delivered (bot.ts: `handle`, `answered`).
 */
function remember(
  invocation: Invocation,
  ctx: DispatchContext,
  answer: Reply,
  unanswered: Unanswered | undefined,
): boolean {
  if (!invocation.eventId) return true;
  // Without the file: a draft can be megabytes, and a replay's answer is the notice, not a
  // second copy of the document (it can be drafted again at any time).
  const kept = answer.file === undefined ? answer : withoutFile(answer);
  return ctx.stores.events.record(
    invocation.platform,
    invocation.eventId,
    ctx.clock.now(),
    JSON.stringify(kept),
    unanswered && JSON.stringify(unanswered),
  );
}

function withoutFile(answer: Reply): Omit<Reply, "file"> {
  const { file: _file, ...kept } = answer;
  return kept;
}

function duplicate(invocation: Invocation, ctx: DispatchContext): Outcome {
  const stored = invocation.eventId
    ? ctx.stores.events.storedReply(invocation.platform, invocation.eventId)
    : undefined;
  if (!stored) return { kind: "duplicate" };
  const reply = JSON.parse(stored.reply) as Reply;
  return stored.unanswered
    ? { kind: "duplicate", reply, unanswered: JSON.parse(stored.unanswered) as Unanswered }
    : { kind: "duplicate", reply };
}

function failed(
  error: unknown,
  invocation: Invocation,
  ctx: DispatchContext,
  command: Command | undefined,
  unanswered: Unanswered | undefined,
): Outcome {
  if (isUserError(error)) {
    const usage = error.usage ?? (command ? usageOf(command) : undefined);
    const message = oneLine(error.message);
    const answer = reply.caller(usage ? `${message}\nUsage: ${usage}` : message);
    // The command's writes were rolled back; still remember the event (and its answer) so a
    // redelivery changes nothing.
    try {
      if (!recordOnly(invocation, ctx, answer, unanswered)) return duplicate(invocation, ctx);
    } catch (recordError) {
      return internal(recordError, invocation, ctx, command);
    }
    return { kind: "user-error", reply: answer, ...(command ? { command } : {}) };
  }
  return internal(error, invocation, ctx, command);
}

function internal(
  error: unknown,
  invocation: Invocation,
  ctx: DispatchContext,
  command: Command | undefined,
): Outcome {
  const { ref, text } = internalFailure(
    error,
    ctx.log,
    { platform: invocation.platform, room: invocation.room },
    "command failed",
  );
  return {
    kind: "internal-error",
    ref,
    ...(command ? { command } : {}),
    reply: reply.caller(text),
  };
}

function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}
