import type { Bot } from "../../core/bot.ts";
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
}

/**
 * Collects a channel's history through the same path as live messages. Page by page (never the
 * whole history in memory); the collector dedupes on `channel:ts`, so a second backfill of the
 * same channel stores nothing new. Slack returns newest first; each page is stored oldest first.
 * `oldest` (a Slack ts, exclusive) limits it to what was said after that message.
 */
export async function backfillChannel(
  deps: BackfillDeps,
  channel: string,
  oldest?: string,
): Promise<number> {
  const { client, bot, log } = deps;
  let cursor: string | undefined;
  let stored = 0;
  do {
    const page = await client.conversations.history({
      channel,
      limit: deps.pageSize ?? 200,
      ...(oldest ? { oldest } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const messages = (page.messages ?? []) as HistoryMessage[];
    for (const m of [...messages].reverse()) {
      if (!m.ts || !m.user || m.bot_id || !HUMAN_SUBTYPES.has(m.subtype)) continue;
      const text = fromSlackText(m.text ?? "", (id) => deps.users.cached(id)?.name);
      // A command typed as a message is not re-run from history: it was run live, or was said
      // while the bot was away and its moment has passed.
      if (text.trim() === "" || isCommandLine(text)) continue;
      const result = bot.handle({
        platform: "slack",
        actor: { id: m.user, name: deps.users.cached(m.user)?.name ?? m.user },
        room: channel,
        text,
        eventId: messageId(channel, m.ts),
        time: tsToMs(m.ts),
      });
      if (result.kind === "collected") stored += 1;
      if (result.kind === "ignored") return stored; // no longer an incident's channel
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  log.info({ channel, stored }, "backfilled channel history");
  return stored;
}

/**
 * After a restart: what was said in open incidents' channels while the bot was down. Slack retries
 * an event only a few times within minutes, so a longer outage loses it; each channel is read
 * from its newest stored message on (overlap is harmless, the collector dedupes).
 */
export async function catchUp(deps: BackfillDeps): Promise<void> {
  const { bot, log } = deps;
  for (const incident of bot.repos.incidents.list({ all: false })) {
    for (const room of bot.repos.incidents.rooms(incident.id)) {
      if (room.platform !== "slack") continue;
      const newest = bot.repos.messages.newestInRoom(incident.id, "slack", room.roomId);
      try {
        await backfillChannel(deps, room.roomId, newest && tsOf(newest.eventId, newest.at));
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
