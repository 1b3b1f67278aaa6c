import type { Bot } from "../../core/bot.ts";
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
/** A command typed as a message: not re-run from history (it was run live, or said before the bot was there). */
const COMMAND_LIKE = /^\s*[/!][A-Za-z]/;

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
 */
export async function backfillChannel(deps: BackfillDeps, channel: string): Promise<number> {
  const { client, bot, log } = deps;
  let cursor: string | undefined;
  let stored = 0;
  do {
    const page = await client.conversations.history({
      channel,
      limit: deps.pageSize ?? 200,
      ...(cursor ? { cursor } : {}),
    });
    const messages = (page.messages ?? []) as HistoryMessage[];
    for (const m of [...messages].reverse()) {
      if (!m.ts || !m.user || m.bot_id || !HUMAN_SUBTYPES.has(m.subtype)) continue;
      const text = fromSlackText(m.text ?? "", (id) => deps.users.cached(id)?.name);
      if (text.trim() === "" || COMMAND_LIKE.test(text)) continue;
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
