import { z } from "zod";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import { isCommandLine } from "../../core/dispatcher.ts";
import { parseTag } from "../../incidents/tags.ts";
import type { Logger } from "../../logging.ts";
import { HUMAN_SUBTYPES } from "./backfill.ts";
import type { Channels, Origin } from "./channels.ts";
import { type FollowUpDeps, postReply } from "./followUp.ts";
import type { Self } from "./self.ts";
import { fromSlackText, messageId, renderReply, tsToMs } from "./text.ts";
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

export interface EventDeps extends FollowUpDeps {
  bot: Bot;
  clock: Clock;
  log: Logger;
  users: UserCache;
  channels: Channels;
  self: () => Self;
  /** how long a command typed as a message may wait for its author's profile (as slash commands) */
  profileBudgetMs: number;
}

/** Work for after the ack (Web API calls); undefined when there is none. */
export type AfterAck = (() => Promise<unknown>) | undefined;

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
  const { repos } = deps.bot;
  let after: AfterAck;
  repos.transaction(() => {
    if (!repos.state.claimEvent("slack", `event:${eventId}`, deps.clock.now())) return;
    after = apply(deps, self, event);
  });
  return after;
}

function apply(deps: EventDeps, self: Self, event: { type: string }): AfterAck {
  switch (event.type) {
    case "message":
      return onMessage(deps, self, event);
    case "reaction_added":
    case "reaction_removed":
      return onReaction(deps, self, event);
    case "member_joined_channel": {
      const e = joined.safeParse(event);
      if (!e.success) return malformed(deps, event.type);
      if (e.data.user === self.userId) return () => deps.channels.joined(e.data.channel);
      // Someone joined an incident channel: learn their zone before their first command.
      return () => deps.users.warm(e.data.user);
    }
    default:
      return undefined;
  }
}

function onMessage(deps: EventDeps, self: Self, event: { type: string }): AfterAck {
  const { bot } = deps;
  const names = (id: string) => deps.users.cached(id)?.name;
  const subtype = (event as { subtype?: unknown }).subtype;
  if (subtype === "message_changed") {
    const e = changed.safeParse(event);
    if (!e.success) return malformed(deps, "message_changed");
    const { message: edited, previous_message: before, channel } = e.data;
    // Deleting a thread's parent keeps a "This message was deleted." tombstone in its place.
    if (edited.subtype === "tombstone") {
      const actor = before?.user ?? "slack";
      const gone = bot.deleteMessage("slack", messageId(channel, edited.ts), actor);
      return gone ? summaryFollows(deps, channel, before?.text) : undefined;
    }
    // Link unfurls also arrive as message_changed, with the text untouched.
    if (edited.text === undefined || edited.text === before?.text) return undefined;
    const text = fromSlackText(edited.text, names);
    const changedIt = bot.editMessage("slack", messageId(channel, edited.ts), text);
    return changedIt ? summaryFollows(deps, channel, before?.text, text) : undefined;
  }
  if (subtype === "message_deleted") {
    const e = deleted.safeParse(event);
    if (!e.success) return malformed(deps, "message_deleted");
    const { channel, previous_message: before } = e.data;
    const gone = bot.deleteMessage(
      "slack",
      messageId(channel, e.data.deleted_ts),
      before?.user ?? "slack",
    );
    return gone ? summaryFollows(deps, channel, before?.text) : undefined;
  }
  if (!HUMAN_SUBTYPES.has(typeof subtype === "string" ? subtype : undefined)) return undefined;
  const e = message.safeParse(event);
  if (!e.success) return malformed(deps, "message");
  const m = e.data;
  if (!m.user || m.bot_id || m.user === self.userId) return undefined;
  const text = fromSlackText(m.text ?? "", names);
  if (text.trim() === "") return undefined;
  const profile = deps.users.cached(m.user);
  const result: HandleResult = bot.handle({
    platform: "slack",
    actor: {
      id: m.user,
      name: profile?.name ?? m.user,
      ...(profile?.timezone ? { timezone: profile.timezone } : {}),
    },
    room: m.channel,
    text,
    eventId: messageId(m.channel, m.ts),
    time: tsToMs(m.ts),
  });
  const user = m.user;
  const channel = m.channel;
  const origin: Origin = {
    channel,
    user,
    tell: (notice) => deps.client.chat.postEphemeral({ channel, user, text: notice }),
  };
  if (result.kind === "collected") {
    return async () => {
      // An `action:` line changes the open action items the pinned summary lists.
      if (result.applied === "action") await deps.channels.changed(result.incident.id);
      // A tag refused by its command's limits: only its author is told, like a command's error.
      if (result.reply) await origin.tell?.(renderReply(result.reply));
      await deps.users.warm(user);
    };
  }
  if (result.kind === "ok" || result.kind === "user-error" || result.kind === "internal-error")
    return () => postReply(deps, result, origin);
  return undefined;
}

/**
 * An edit or deletion of an `action:` line changes the open action items the pinned summary
 * lists: it is refreshed then (only then: other edits leave the card as it is).
 */
function summaryFollows(deps: EventDeps, channel: string, ...texts: (string | undefined)[]) {
  if (!texts.some((t) => t !== undefined && parseTag(t)?.kind === "action")) return undefined;
  const incident = deps.bot.incidentForRoom("slack", channel);
  return incident ? () => deps.channels.changed(incident.id) : undefined;
}

/** The author of a person's message that is shaped like a command, if this event is one. */
function commandAuthor(event: { type: string }): string | undefined {
  const e = message.safeParse(event);
  if (!e.success || !e.data.user || e.data.bot_id || !HUMAN_SUBTYPES.has(e.data.subtype)) {
    return undefined;
  }
  return isCommandLine(fromSlackText(e.data.text ?? "")) ? e.data.user : undefined;
}

function onReaction(deps: EventDeps, self: Self, event: { type: string }): AfterAck {
  const e = reaction.safeParse(event);
  if (!e.success) return malformed(deps, event.type);
  const { user, item } = e.data;
  // Skin-tone variants arrive as "pushpin::skin-tone-2"; only the pin itself means "timeline".
  if (e.data.reaction.split("::")[0] !== "pushpin") return undefined;
  if (item.type !== "message" || !item.channel || !item.ts || user === self.userId)
    return undefined;
  const target = messageId(item.channel, item.ts);
  if (e.data.type === "reaction_added") {
    deps.bot.pin({
      platform: "slack",
      messageEventId: target,
      actorId: user,
      reactionEventId: null,
    });
  } else {
    deps.bot.unpin({ platform: "slack", messageEventId: target, actorId: user });
  }
  return undefined;
}

function malformed(deps: EventDeps, type: string): undefined {
  deps.log.warn({ type }, "ignored a malformed Slack event");
  return undefined;
}
