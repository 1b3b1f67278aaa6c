import { parseTag } from "../incidents/tags.ts";
import { refreshCard } from "./engineCard.ts";
import type { EngineContext } from "./engineContext.ts";
import { receive } from "./engineReceive.ts";
import type { Incoming, Mode } from "./incoming.ts";
import type { HistoryPage, HistoryRange } from "./surface.ts";

/** What one walk through history did: messages stored, whether an action item came of it. */
export interface Backfilled {
  stored: number;
  actions: boolean;
  /** false when it stopped early (the room stopped being an incident's) */
  complete: boolean;
}

export interface BackfillOptions {
  /** catch-up: messages up to this time (ms) were seen before, and are handled as history */
  until?: number | undefined;
  /** sees each page before its items are handled */
  compare?: ((page: HistoryPage) => void) | undefined;
}

const isAction = (text: string) => parseTag(text)?.kind === "action";

/**
 * Reads a room's history oldest first, a page at a time, through the same path as live events
 * (so section bullets and action numbers come out in the order things were said). In "history"
 * mode commands are never run. Outside "live" it stops once the room is no incident's.
 */
export async function backfill(
  ctx: EngineContext,
  room: string,
  mode: Mode,
  range: HistoryRange = {},
  options: BackfillOptions = {},
): Promise<Backfilled> {
  const done: Backfilled = { stored: 0, actions: false, complete: false };
  for await (const page of ctx.surface.history(room, range)) {
    options.compare?.(page);
    for (const item of page.items) {
      const { result, after } = receive(ctx, item, modeOf(item, mode, options.until));
      if (result?.kind === "ignored" && mode !== "live") return done;
      if (result?.kind === "collected") {
        done.stored += 1;
        if (result.applied === "action") done.actions = true;
      }
      if (after) await after();
    }
  }
  done.complete = true;
  return done;
}

/** In a catch-up, what is not newer than the newest stored message was seen already: history. */
function modeOf(item: Incoming, mode: Mode, until: number | undefined): Mode {
  if (mode !== "catch-up" || until === undefined || item.kind !== "said") return mode;
  return item.invocation.time <= until ? "history" : mode;
}

/**
 * After a restart: what was said in open incidents' rooms while the bot was down. Each room is
 * read from its oldest stored message on: what is newer than the newest stored one is handled
 * as a catch-up (commands run, once); what is older is compared with what was stored, so edits
 * and deletions made meanwhile are applied too.
 */
export async function catchUp(ctx: EngineContext): Promise<void> {
  const { bot, surface, log } = ctx;
  for (const incident of bot.openIncidents()) {
    for (const room of bot.roomsOf(incident.id, surface.platform)) {
      try {
        const stored = bot.storedRange(incident.id, surface.platform, room);
        const range = stored
          ? { since: { messageId: stored.oldest.eventId, at: stored.oldest.at } }
          : {};
        const compare = stored ? comparer(ctx, incident.id, room, stored.oldest.at) : undefined;
        const done = await backfill(ctx, room, "catch-up", range, {
          until: stored?.newest.at,
          compare: compare?.page,
        });
        const changed = done.complete && compare ? compare.finish() : false;
        log.info({ room, incident: incident.id, stored: done.stored }, "caught up room history");
        if (done.actions || changed) await refreshCard(ctx, incident.id, false);
      } catch (error) {
        // One room the bot lost access to (archived, removed) must not stop the others.
        log.warn({ err: error, room }, "catch-up of room history failed");
      }
    }
  }
}

/**
 * Compares each page of history with the messages stored in the times it covers: a stored
 * message the page no longer has was deleted, one it shows edited was edited. Pages come
 * oldest first and cover the room without gaps, so each page also answers for the time since
 * the previous one.
 */
function comparer(ctx: EngineContext, incidentId: number, room: string, start: number) {
  const { bot, surface } = ctx;
  let from = start;
  let seen = new Set<string>();
  let actionsChanged = false;
  const platform = surface.platform;

  function settle(to: number, present: Set<string>) {
    for (const m of bot.storedBetween(incidentId, platform, room, from, to)) {
      if (m.deletedAt !== null || present.has(m.eventId) || seen.has(m.eventId)) continue;
      if (!surface.inHistory(room, m.eventId)) continue;
      const action = isAction(m.text);
      if (bot.deleteMessage(platform, m.eventId, platform) && action) actionsChanged = true;
    }
  }

  return {
    page(page: HistoryPage): void {
      if (!page.bounds) return;
      const present = new Set<string>();
      for (const item of page.items) {
        if (item.kind !== "said" || !item.invocation.eventId) continue;
        present.add(item.invocation.eventId);
        if (!item.edited) continue;
        const stored = bot.storedMessage(platform, item.invocation.eventId);
        if (!stored || stored.deletedAt !== null || stored.text === item.invocation.text) continue;
        const action = isAction(stored.text) || isAction(item.invocation.text);
        if (bot.editMessage(platform, stored.eventId, item.invocation.text) && action)
          actionsChanged = true;
      }
      settle(page.bounds.to, present);
      from = page.bounds.to;
      seen = present;
    },
    /** After the last page: what was stored after it is gone too. */
    finish(): boolean {
      settle(Number.MAX_SAFE_INTEGER, new Set());
      return actionsChanged;
    },
  };
}
