import { parseTag } from "../incidents/tags.ts";
import type { HandleResult } from "./bot.ts";
import { isCommandLine } from "./dispatcher.ts";
import { refreshCard } from "./engineCard.ts";
import type { EngineContext, Origin } from "./engineContext.ts";
import { followUp } from "./engineFollowUp.ts";
import type { Incoming, Mode } from "./incoming.ts";
import type { Invocation } from "./invocation.ts";

/** Work for after the commit (platform calls); Slack runs it only after its ack. */
export type After = (() => Promise<unknown>) | undefined;

export interface Received {
  result?: HandleResult;
  after: After;
}

const isAction = (text: string | undefined) =>
  text !== undefined && parseTag(text)?.kind === "action";

/**
 * One event, committed when this returns (the core is synchronous and transactional); what it
 * asks of the platform is returned as `after`. The rule "history never runs commands" lives
 * here: in "history" mode a command line is skipped, not claimed, so it is not stored either.
 */
export function receive(ctx: EngineContext, incoming: Incoming, mode: Mode): Received {
  const { bot } = ctx;
  switch (incoming.kind) {
    case "said":
      return said(ctx, incoming.invocation, mode);
    case "edited": {
      const before = bot.storedMessage(incoming.platform, incoming.messageId);
      // Only the author can edit a message (Matrix tells clients to ignore other senders).
      if (!before || (incoming.by !== undefined && before.authorId !== incoming.by))
        return { after: undefined };
      const apply = () => bot.editMessage(incoming.platform, before.eventId, incoming.text);
      // The edit's own id is claimed with it: a replayed older edit must not undo a newer one.
      const changed = incoming.editId
        ? (bot.acceptOnce(incoming.platform, incoming.editId, apply) ?? false)
        : apply();
      const follows = changed && (isAction(before.text) || isAction(incoming.text));
      return { after: follows ? cardFollows(ctx, before.incidentId) : undefined };
    }
    case "deleted":
      return deleted(ctx, incoming.platform, incoming.messageId, incoming.by);
    case "pinned":
      bot.pin({
        platform: incoming.platform,
        messageEventId: incoming.messageId,
        actorId: incoming.by,
        reactionEventId: incoming.reactionId,
      });
      return { after: undefined };
    case "unpinned":
      bot.unpin({
        platform: incoming.platform,
        ...(incoming.messageId ? { messageEventId: incoming.messageId } : {}),
        ...(incoming.by ? { actorId: incoming.by } : {}),
        ...(incoming.reactionId ? { reactionEventId: incoming.reactionId } : {}),
      });
      return { after: undefined };
    case "retracted": {
      // The redacted event is either a 📌 reaction (the pin goes) or a collected message.
      const unpinned = bot.unpin({ platform: incoming.platform, reactionEventId: incoming.target });
      if (unpinned !== "not-pinned") return { after: undefined };
      return deleted(ctx, incoming.platform, incoming.target, incoming.by);
    }
  }
}

function deleted(ctx: EngineContext, platform: string, messageId: string, by: string): Received {
  const before = ctx.bot.storedMessage(platform, messageId);
  if (!before) return { after: undefined };
  const gone = ctx.bot.deleteMessage(platform, messageId, by);
  return { after: gone && isAction(before.text) ? cardFollows(ctx, before.incidentId) : undefined };
}

/** An `action:` line changed the open action items the pinned card lists: it follows. */
function cardFollows(ctx: EngineContext, incidentId: number): After {
  return () => refreshCard(ctx, incidentId, false);
}

function said(ctx: EngineContext, invocation: Invocation, mode: Mode): Received {
  // Commands found in history (a late join, a first start) are not run: their moment has passed.
  if (mode === "history" && isCommandLine(invocation.text)) return { after: undefined };
  const result = ctx.bot.handle(invocation);
  const origin: Origin = {
    room: invocation.room,
    user: invocation.actor.id,
    eventId: invocation.eventId,
  };
  return { result, after: answerFor(ctx, result, origin, mode) };
}

/** What a typed command's result asks of the platform: its answer, then its follow-up. */
export function answerFor(
  ctx: EngineContext,
  result: HandleResult,
  origin: Origin,
  mode: Mode,
): After {
  const { surface } = ctx;
  switch (result.kind) {
    case "ok":
    case "user-error":
    case "internal-error":
      return () => answer(ctx, result, origin);
    case "duplicate":
      // A command replayed after a crash may not have been answered: answer again where the
      // platform drops a repeated post, and redo its follow-up (every step is idempotent).
      if (mode !== "history" && result.reply && surface.idempotentPosts)
        return () => answer(ctx, { kind: "ok", reply: result.reply! }, origin);
      return undefined;
    case "collected": {
      const { applied, incident, reply } = result;
      if (!applied && !reply) return undefined;
      return async () => {
        // A tag refused by its command's limits: only its author is told, like a command's error.
        if (reply && mode === "live")
          await surface.post(origin.room, reply, {
            visibility: "caller",
            user: origin.user,
            ...(origin.eventId
              ? { inReplyTo: origin.eventId, key: `reply-${origin.eventId}` }
              : {}),
          });
        if (!applied) return;
        if (mode === "live" && origin.eventId)
          await surface.acknowledge(origin.room, origin.eventId, result.section ?? applied);
        // A new action item changes the open items the pinned card lists.
        if (applied === "action" && mode === "live") await refreshCard(ctx, incident.id, false);
      };
    }
    default:
      return undefined;
  }
}

/** Posts a command's reply (errors only to the caller where the platform can), then follows up. */
export async function answer(
  ctx: EngineContext,
  result: Extract<HandleResult, { reply: unknown }>,
  origin: Origin,
): Promise<void> {
  const { reply } = result;
  if (!reply) return;
  const ok = result.kind === "ok";
  const key = origin.eventId ? `reply-${origin.eventId}` : undefined;
  await ctx.surface.post(origin.room, reply, {
    visibility: ok ? reply.visibility : "caller",
    user: origin.user,
    via: origin.via,
    ...(origin.eventId ? { inReplyTo: origin.eventId } : {}),
    ...(key ? { key } : {}),
  });
  if (ok) await followUp(ctx, reply, origin, "incident" in result ? result.incident : undefined);
}
