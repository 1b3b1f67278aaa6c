import { isCommandLine } from "../../core/dispatcher.ts";
import type { Incoming } from "../../core/incoming.ts";
import type { HistoryPage, HistoryRange } from "../../core/surface.ts";
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
  edited?: unknown;
}

/** Subtypes that carry a person's words; joins, topic changes and bot posts do not. */
export const HUMAN_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

export interface HistoryDeps {
  client: WebClient;
  log: Logger;
  users: UserCache;
  profileBudgetMs: number;
  pageSize?: number | undefined;
}

/** The Slack ts of a stored message: its id is `channel:ts` (messageId). */
function tsOf(id: string, at: number): string {
  const ts = id.slice(id.indexOf(":") + 1);
  return /^\d+\.\d+$/.test(ts) ? ts : (at / 1000).toFixed(6);
}

/**
 * A channel's history oldest first. Slack pages newest first: a first pass walks the cursor and
 * keeps only each page's first and last ts, a second reads the pages again from the oldest on
 * (the oldest is still in hand), by those bounds. At most one page is in memory.
 */
export async function* channelHistory(
  deps: HistoryDeps,
  channel: string,
  range: HistoryRange,
): AsyncIterable<HistoryPage> {
  const { client, log } = deps;
  const limit = deps.pageSize ?? 200;
  const since = range.since ? tsOf(range.since.messageId, range.since.at) : undefined;
  const bounds: { newest: string; oldest: string }[] = [];
  let held: HistoryMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.history({
      channel,
      limit,
      ...(since ? { oldest: since, inclusive: true } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const messages = ((page.messages ?? []) as HistoryMessage[]).filter((m) => m.ts);
    if (messages.length > 0) {
      bounds.push({ newest: messages[0]!.ts!, oldest: messages.at(-1)!.ts! });
      held = messages;
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);

  for (let i = bounds.length - 1; i >= 0; i--) {
    const { newest, oldest } = bounds[i]!;
    if (i < bounds.length - 1) {
      // Both bounds inclusive: exactly the messages this page had in the first pass.
      const page = await client.conversations.history({
        channel,
        limit,
        oldest,
        latest: newest,
        inclusive: true,
      });
      if (page.has_more) log.warn({ channel, newest, oldest }, "history page grew; part skipped");
      held = (page.messages ?? []) as HistoryMessage[];
    }
    const items: Incoming[] = [];
    for (let j = held.length - 1; j >= 0; j--) {
      const item = await toIncoming(deps, channel, held[j]!);
      if (item) items.push(item);
    }
    yield { items, bounds: { from: tsToMs(oldest), to: tsToMs(newest) } };
  }
}

/** A person's message as the core sees it; undefined for bots, joins and empty text. */
async function toIncoming(
  deps: HistoryDeps,
  channel: string,
  m: HistoryMessage,
): Promise<Incoming | undefined> {
  if (!m.ts || !m.user || m.bot_id || !HUMAN_SUBTYPES.has(m.subtype)) return undefined;
  const text = fromSlackText(m.text ?? "", (id) => deps.users.cached(id)?.name);
  if (text.trim() === "") return undefined;
  const command = isCommandLine(text);
  // A command reads bare times in its author's zone, as live.
  const profile = command
    ? await deps.users.lookup(m.user, deps.profileBudgetMs)
    : deps.users.cached(m.user);
  return {
    kind: "said",
    invocation: {
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
    },
    ...(m.edited ? { edited: true } : {}),
  };
}
