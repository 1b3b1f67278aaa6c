import type { Bot, HandleResult } from "../../core/bot.ts";
import { isCommandLine } from "../../core/dispatcher.ts";
import type { Logger } from "../../logging.ts";
import type { WebClient } from "./slackApi.ts";
import { fromSlackText, messageId, tsToMs } from "./text.ts";
import type { UserCache } from "./users.ts";

/** What a history entry needs to be collected; Slack sends much more. */
interface HistoryMessage {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
}

/** Subtypes that carry a person's words; joins, topic changes and bot posts do not. */
export const HUMAN_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

export interface BackfillDeps {
  client: WebClient;
  bot: Bot;
  log: Logger;
  users: UserCache;
  pageSize?: number;
  /**
   * Set for a catch-up after downtime: commands typed as messages then run, exactly once (they
   * are claimed under the same `channel:ts` id as live), and this posts each one's reply. Unset
   * (a first look at a channel's history) they are skipped: their moment has passed.
   */
  onCommand?: (result: HandleResult, channel: string, user: string) => Promise<void>;
  /** how long a catch-up command may wait for its author's profile (zone) */
  profileBudgetMs?: number;
}

/** What one backfill did: messages stored, and whether any of them added an action item. */
export interface Backfilled {
  stored: number;
  actions: boolean;
}

/**
 * Collects a channel's history through the same path as live messages, oldest message first, so
 * section bullets and action numbers come out in the order things were said. Slack pages newest
 * first; a first pass walks the cursor and keeps only each page's first and last ts, a second
 * reads the pages again from the oldest on (the oldest is still in hand), by those bounds. At most
 * one page is in memory. The collector dedupes on `channel:ts`, so a repeat stores nothing new.
 * `oldest` (a Slack ts, exclusive) limits it to what was said after that message.
 */
export async function backfillChannel(
  deps: BackfillDeps,
  channel: string,
  oldest?: string,
): Promise<Backfilled> {
  const { client, log } = deps;
  const limit = deps.pageSize ?? 200;
  const bounds: { newest: string; oldest: string }[] = [];
  let held: HistoryMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.history({
      channel,
      limit,
      ...(oldest ? { oldest } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const messages = ((page.messages ?? []) as HistoryMessage[]).filter((m) => m.ts);
    if (messages.length > 0) {
      bounds.push({ newest: messages[0]!.ts!, oldest: messages.at(-1)!.ts! });
      held = messages;
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);

  const done: Backfilled = { stored: 0, actions: false };
  for (let i = bounds.length - 1; i >= 0; i--) {
    if (i < bounds.length - 1) {
      const { newest, oldest: first } = bounds[i]!;
      // Both bounds inclusive: exactly the messages this page had in the first pass.
      const page = await client.conversations.history({
        channel,
        limit,
        oldest: first,
        latest: newest,
        inclusive: true,
      });
      if (page.has_more)
        log.warn({ channel, newest, oldest: first }, "history page grew; part skipped");
      held = (page.messages ?? []) as HistoryMessage[];
    }
    if (!(await collectPage(deps, channel, held, done))) break; // no longer an incident's channel
  }
  log.info({ channel, stored: done.stored }, "backfilled channel history");
  return done;
}

/** Stores one page (newest first, as Slack sends it) oldest first; false once the channel is no incident's. */
async function collectPage(
  deps: BackfillDeps,
  channel: string,
  messages: HistoryMessage[],
  done: Backfilled,
): Promise<boolean> {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (!m.ts || !m.user || m.bot_id || !HUMAN_SUBTYPES.has(m.subtype)) continue;
    const text = fromSlackText(m.text ?? "", (id) => deps.users.cached(id)?.name);
    if (text.trim() === "") continue;
    const command = isCommandLine(text);
    if (command && !deps.onCommand) continue;
    // A command reads bare times in its author's zone, as live.
    const profile = command
      ? await deps.users.lookup(m.user, deps.profileBudgetMs ?? 1000)
      : deps.users.cached(m.user);
    const result = deps.bot.handle({
      platform: "slack",
      actor: {
        id: m.user,
        name: profile?.name ?? m.user,
        ...(command && profile?.timezone ? { timezone: profile.timezone } : {}),
      },
      room: channel,
      text,
      eventId: messageId(channel, m.ts),
      time: tsToMs(m.ts),
    });
    if (result.kind === "ignored") return false;
    if (command) {
      await deps.onCommand?.(result, channel, m.user);
      continue;
    }
    if (result.kind === "collected") {
      done.stored += 1;
      if (result.applied === "action") done.actions = true;
    }
  }
  return true;
}

/**
 * After a restart: what was said in open incidents' channels while the bot was down. Slack retries
 * an event only a few times within minutes, so a longer outage loses it; each channel is read
 * from its newest stored message on (overlap is harmless, the collector dedupes).
 */
export async function catchUp(
  deps: BackfillDeps & Required<Pick<BackfillDeps, "onCommand">>,
  actionsChanged: (incidentId: number) => Promise<void>,
): Promise<void> {
  const { bot, log } = deps;
  for (const incident of bot.repos.incidents.list({ all: false })) {
    for (const room of bot.repos.incidents.rooms(incident.id)) {
      if (room.platform !== "slack") continue;
      const newest = bot.repos.messages.newestInRoom(incident.id, "slack", room.roomId);
      try {
        const oldest = newest && tsOf(newest.eventId, newest.at);
        const done = await backfillChannel(deps, room.roomId, oldest);
        if (done.actions) await actionsChanged(incident.id);
      } catch (error) {
        // One channel the bot lost access to (archived, removed) must not stop the others.
        log.warn({ err: error, channel: room.roomId }, "catch-up of channel history failed");
      }
    }
  }
}

/** The Slack ts of a stored message: its event id is `channel:ts` (messageId). */
function tsOf(eventId: string, at: number): string {
  const ts = eventId.slice(eventId.indexOf(":") + 1);
  return /^\d+\.\d+$/.test(ts) ? ts : (at / 1000).toFixed(6);
}
