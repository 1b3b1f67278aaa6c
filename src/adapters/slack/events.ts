import { z } from "zod";
import type { Clock } from "../../clock.ts";
import type { Bot } from "../../core/bot.ts";
import { isCommandLine } from "../../core/dispatcher.ts";
import type { After, Engine } from "../../core/engine.ts";
import type { Incoming } from "../../core/incoming.ts";
import type { Logger } from "../../logging.ts";
import { HUMAN_SUBTYPES } from "./history.ts";
import type { Self } from "./self.ts";
import { threadReplyKey } from "./slackSurface.ts";
import { fromSlackText, messageId, tsToMs } from "./text.ts";
import type { UserCache } from "./users.ts";

/** Only the fields we use; Slack sends many more and adds new ones, so objects stay loose. */
const envelope = z.looseObject({
  type: z.literal("event_callback"),
  team_id: z.string(),
  event_id: z.string(),
  event: z.looseObject({ type: z.string() }),
});
const message = z.looseObject({
  type: z.literal("message"),
  subtype: z.string().optional(),
  channel: z.string(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});
const changed = message.extend({
  subtype: z.literal("message_changed"),
  message: z.looseObject({
    ts: z.string(),
    subtype: z.string().optional(),
    text: z.string().optional(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
  }),
  previous_message: z
    .looseObject({ text: z.string().optional(), user: z.string().optional() })
    .optional(),
});
const deleted = message.extend({
  subtype: z.literal("message_deleted"),
  deleted_ts: z.string(),
  previous_message: z
    .looseObject({ user: z.string().optional(), text: z.string().optional() })
    .optional(),
});
const reaction = z.looseObject({
  type: z.enum(["reaction_added", "reaction_removed"]),
  user: z.string(),
  reaction: z.string(),
  item: z.looseObject({
    type: z.string(),
    channel: z.string().optional(),
    ts: z.string().optional(),
  }),
});
const joined = z.looseObject({
  type: z.literal("member_joined_channel"),
  user: z.string(),
  channel: z.string(),
});

export interface EventDeps {
  bot: Bot;
  engine: Engine;
  clock: Clock;
  log: Logger;
  users: UserCache;
  self: () => Self;
  /** how long a command typed as a message may wait for its author's profile (as slash commands) */
  profileBudgetMs: number;
}

/** Work for after the ack (Web API calls); undefined when there is none. */
export type AfterAck = After;

/**
 * An Events API delivery, handled up to its database write, BEFORE the ack: what it changes is
 * committed when Slack hears "200". The event id is claimed in the same transaction, so a
 * redelivery (x-slack-retry-num, or a Socket Mode replay) changes nothing.
 */
export async function receiveEvent(deps: EventDeps, body: unknown): Promise<AfterAck> {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues.length }, "ignored a malformed Slack event");
    return undefined;
  }
  const { team_id: team, event_id: eventId, event } = parsed.data;
  const self = deps.self();
  // A shared (Slack Connect) channel delivers other workspaces' events too: not ours to record.
  if (team !== self.teamId) return undefined;
  // `!timeline add 10:05 …` reads 10:05 in its author's zone: the profile is looked up first,
  // with the same budget as a slash command (Slack wants the ack within 3 s).
  const author = commandAuthor(event);
  if (author && author !== self.userId) await deps.users.lookup(author, deps.profileBudgetMs);
  return deps.bot.acceptOnce("slack", `event:${eventId}`, () => apply(deps, self, event));
}

function apply(deps: EventDeps, self: Self, event: { type: string }): AfterAck {
  switch (event.type) {
    case "message":
      return onMessage(deps, self, event);
    case "reaction_added":
    case "reaction_removed": {
      const incoming = reactionOf(deps, self, event);
      return incoming ? deps.engine.receive(incoming, "live").after : undefined;
    }
    case "member_joined_channel": {
      const e = joined.safeParse(event);
      if (!e.success) return malformed(deps, event.type);
      if (e.data.user === self.userId) return () => deps.engine.joined(e.data.channel);
      // Someone joined an incident channel: learn their zone before their first command.
      return () => deps.users.warm(e.data.user);
    }
    default:
      return undefined;
  }
}

function onMessage(deps: EventDeps, self: Self, event: { type: string }): AfterAck {
  const subtype = (event as { subtype?: unknown }).subtype;
  if (subtype === "message_changed" || subtype === "message_deleted") {
    const incoming = changeOf(deps, event, subtype);
    return incoming ? deps.engine.receive(incoming, "live").after : undefined;
  }
  if (!HUMAN_SUBTYPES.has(typeof subtype === "string" ? subtype : undefined)) return undefined;
  const e = message.safeParse(event);
  if (!e.success) return malformed(deps, "message");
  const m = e.data;
  if (!m.user || m.bot_id || m.user === self.userId) return undefined;
  const text = fromSlackText(m.text ?? "", (id) => deps.users.cached(id)?.name);
  if (text.trim() === "") return undefined;
  const profile = deps.users.cached(m.user);
  const id = messageId(m.channel, m.ts);
  const { result, after } = deps.engine.receive(
    {
      kind: "said",
      invocation: {
        platform: "slack",
        actor: {
          id: m.user,
          name: profile?.name ?? m.user,
          ...(profile?.timezone ? { timezone: profile.timezone } : {}),
        },
        room: m.channel,
        text,
        eventId: id,
        time: tsToMs(m.ts),
      },
    },
    "live",
  );
  // Channel history leaves thread replies out: a catch-up must not take that for a deletion.
  if (result?.kind === "collected" && m.thread_ts && m.thread_ts !== m.ts)
    deps.bot.store("slack").set(threadReplyKey(id), "1");
  const user = m.user;
  if (result?.kind !== "collected") return after;
  return async () => {
    await after?.();
    await deps.users.warm(user);
  };
}

/** An edit or a deletion as the core sees it (a link unfurl is neither). */
function changeOf(deps: EventDeps, event: { type: string }, subtype: string): Incoming | undefined {
  if (subtype === "message_deleted") {
    const e = deleted.safeParse(event);
    if (!e.success) return malformed(deps, "message_deleted");
    const { channel, previous_message: before } = e.data;
    const id = messageId(channel, e.data.deleted_ts);
    return {
      kind: "deleted",
      platform: "slack",
      room: channel,
      messageId: id,
      by: before?.user ?? "slack",
    };
  }
  const e = changed.safeParse(event);
  if (!e.success) return malformed(deps, "message_changed");
  const { message: edited, previous_message: before, channel } = e.data;
  const id = messageId(channel, edited.ts);
  // Deleting a thread's parent keeps a "This message was deleted." tombstone in its place.
  if (edited.subtype === "tombstone")
    return {
      kind: "deleted",
      platform: "slack",
      room: channel,
      messageId: id,
      by: before?.user ?? "slack",
    };
  // Link unfurls also arrive as message_changed, with the text untouched.
  if (edited.text === undefined || edited.text === before?.text) return undefined;
  const text = fromSlackText(edited.text, (u) => deps.users.cached(u)?.name);
  return { kind: "edited", platform: "slack", room: channel, messageId: id, text };
}

/** The author of a person's message that is shaped like a command, if this event is one. */
function commandAuthor(event: { type: string }): string | undefined {
  const e = message.safeParse(event);
  if (!e.success || !e.data.user || e.data.bot_id || !HUMAN_SUBTYPES.has(e.data.subtype)) {
    return undefined;
  }
  return isCommandLine(fromSlackText(e.data.text ?? "")) ? e.data.user : undefined;
}

function reactionOf(deps: EventDeps, self: Self, event: { type: string }): Incoming | undefined {
  const e = reaction.safeParse(event);
  if (!e.success) return malformed(deps, event.type);
  const { user, item } = e.data;
  // Skin-tone variants arrive as "pushpin::skin-tone-2"; only the pin itself means "timeline".
  if (e.data.reaction.split("::")[0] !== "pushpin") return undefined;
  if (item.type !== "message" || !item.channel || !item.ts || user === self.userId)
    return undefined;
  const target = messageId(item.channel, item.ts);
  return e.data.type === "reaction_added"
    ? { kind: "pinned", platform: "slack", messageId: target, by: user, reactionId: null }
    : { kind: "unpinned", platform: "slack", messageId: target, by: user };
}

function malformed(deps: EventDeps, type: string): undefined {
  deps.log.warn({ type }, "ignored a malformed Slack event");
  return undefined;
}
