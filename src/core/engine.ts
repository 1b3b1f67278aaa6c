import type { Clock } from "../clock.ts";
import type { Logger } from "../logging.ts";
import type { Bot, HandleResult, Unanswered } from "./bot.ts";
import { refreshCard } from "./engineCard.ts";
import type { EngineContext, ExportActions, Origin } from "./engineContext.ts";
import { followUp, hasFollowUp } from "./engineFollowUp.ts";
import { backfill, catchUp } from "./engineHistory.ts";
import { answer, type Received, receive } from "./engineReceive.ts";
import { openedByAlert, resumeRooms } from "./engineRooms.ts";
import { postToIncidentRoom } from "./engineUpdates.ts";
import type { Incoming, Mode } from "./incoming.ts";
import type { Reply } from "./reply.ts";
import { createSerialQueue } from "./serial.ts";
import type { ChatSurface, HistoryRange } from "./surface.ts";

export type { ExportActions, Origin } from "./engineContext.ts";
export type { After, Received } from "./engineReceive.ts";

export interface EngineOptions {
  bot: Bot;
  surface: ChatSurface;
  clock: Clock;
  log: Logger;
  exportActions?: ExportActions | undefined;
}

/** Slack keeps a response_url usable for 30 minutes: older unanswered commands are let go. */
const ANSWER_WINDOW_MS = 30 * 60 * 1000;

/**
 * The follow-up engine: everything that happens after a command or a message, the same on every
 * platform, written against the chat surface. An adapter turns platform events into `Incoming`
 * and calls `receive`; it runs the returned `after` when its platform allows (Slack: after the
 * ack). See docs/architecture.md ("Adding a platform").
 */
/**
 * How long a redelivery's ack waits for a response_url post of the same answer already in flight
 * (well inside Slack's 3 s for the ack).
 */
const REPLAY_WAIT_MS = 1000;

export function createEngine(options: EngineOptions) {
  const ctx: EngineContext = { ...options, serial: createSerialQueue() };
  const { bot, surface, log } = ctx;

  /** Marked answers `reanswer` is posting now: whether the post got through, once settled. */
  const posting = new Map<string, Promise<boolean>>();
  /** Marked answers an adapter is sending on its own channel now (a redelivery's ack). */
  const acking = new Set<string>();

  /** Posts a marked answer unless a replay answers or answered it (Socket Mode redelivers). */
  async function reanswer(eventId: string, reply: Reply, to: Unanswered): Promise<boolean> {
    if (posting.has(eventId) || acking.has(eventId)) return false;
    if (!bot.isUnanswered(surface.platform, eventId)) return false;
    const post = surface.post(to.room, reply, {
      visibility: reply.visibility,
      user: to.user,
      via: to.via,
      key: `reply-${eventId}`,
    });
    posting.set(
      eventId,
      post.then(
        () => true,
        () => false,
      ),
    );
    try {
      await post;
      bot.answered(surface.platform, [eventId]);
      return true;
    } finally {
      posting.delete(eventId);
    }
  }

  /**
   * A replayed, still-marked command is about to be acknowledged on the platform's own channel:
   * should that ack carry the stored answer? Not when `reanswer` gets it out meanwhile (a post in
   * flight is waited for, up to REPLAY_WAIT_MS); yes when that post failed, or is still pending
   * after the wait (twice is better than not at all). Until `done`, `reanswer` leaves it alone;
   * `done(true)` after an ack that carried the answer drops the mark.
   */
  async function replayAnswer(
    eventId: string,
  ): Promise<{ carry: boolean; done: (acked: boolean) => void }> {
    acking.add(eventId);
    const inFlight = posting.get(eventId);
    let timer: NodeJS.Timeout | undefined;
    const posted = inFlight
      ? await Promise.race([
          inFlight,
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), REPLAY_WAIT_MS);
            timer.unref();
          }),
        ])
      : false;
    clearTimeout(timer);
    const carry = !posted;
    return {
      carry,
      done(acked) {
        acking.delete(eventId);
        if (!carry || !acked) return;
        try {
          bot.answered(surface.platform, [eventId]);
        } catch (error) {
          // The next start answers it again: a second copy rather than none.
          log.warn(
            { err: error, eventId },
            "could not record that a replayed command was answered",
          );
        }
      },
    };
  }

  return {
    /** One event, committed now; its platform work comes back as `after`. */
    receive: (incoming: Incoming, mode: Mode): Received => receive(ctx, incoming, mode),

    /**
     * A command already answered by the platform's own channel (a Slack slash command's ack):
     * only its follow-up is left.
     */
    async followUp(result: HandleResult, origin: Origin): Promise<void> {
      if (result.kind !== "ok") return;
      await followUp(ctx, result.reply, origin, result.incident);
    },

    /** Is there a follow-up for this result at all? (Spares tracking an empty one per ack.) */
    hasFollowUp: (result: HandleResult): boolean =>
      result.kind === "ok" && hasFollowUp(result.reply),

    /** Answers a command through the surface (a reply that could not ride on an ack). */
    answer: (result: Extract<HandleResult, { reply: unknown }>, origin: Origin) =>
      answer(ctx, result, origin),

    /** The bot was added to a room: if it is an incident's, what was said before is collected. */
    async joined(room: string): Promise<void> {
      const incident = bot.incidentForRoom(surface.platform, room);
      if (!incident) return;
      const done = await backfill(ctx, room, "history");
      log.info({ room, stored: done.stored }, "backfilled room history");
      if (done.actions) await refreshCard(ctx, incident.id, false);
    },

    /**
     * A timer's line (a reminder, a resumed export, an issue closed in the tracker): plain text
     * in the incident's room(s) on this platform; the card follows when the line says it changed.
     */
    postToIncidentRoom: (
      incidentId: number,
      text: string,
      options?: { cardChanged?: boolean },
    ): Promise<void> => postToIncidentRoom(ctx, incidentId, text, options),

    /**
     * An incident declared without a chat command (an alert): on this platform it gets its room
     * (when rooms are created; nobody is invited), the pinned card and the announcement, which
     * names `source` as the declarer. Once per incident and platform: asking again does nothing.
     */
    async openIncident(incidentId: number, source: string): Promise<void> {
      const incident = bot.incident(incidentId);
      if (!incident) return;
      await openedByAlert(ctx, incident, source);
    },

    /** A room's history in the given mode (Matrix fills a sync gap with it, as "live"). */
    backfill: (room: string, mode: Mode, range: HistoryRange = {}) =>
      backfill(ctx, room, mode, range),

    /** After a restart: open incidents' rooms, read from where the bot left them. */
    catchUp: (): Promise<void> => catchUp(ctx),
    /** At start: finishes room openings a crash cut short (engineRooms.ts). */
    resumeRooms: (): Promise<void> => resumeRooms(ctx),

    /**
     * After a restart: commands committed whose answer never went out (a crash between the
     * commit and the ack) are answered now, then marked answered.
     */
    async answerUnanswered(): Promise<void> {
      const since = ctx.clock.now() - ANSWER_WINDOW_MS;
      for (const { eventId, reply, to } of bot.unanswered(surface.platform, since)) {
        try {
          await reanswer(eventId, reply, to);
        } catch (error) {
          log.warn({ err: error, eventId }, "could not answer a command after the restart");
        }
      }
    },

    /**
     * A committed command's answer sent again where its caller sees it, then marked answered:
     * for an answer the platform may have dropped (Slack: an ack after its deadline). Its
     * follow-up is not redone; that ran with the command. Throws when the post fails (the mark
     * stays, and the next start answers it).
     */
    reanswer,

    /** For an adapter about to acknowledge a replayed, still-marked command (see above). */
    replayAnswer,
  };
}

export type Engine = ReturnType<typeof createEngine>;
