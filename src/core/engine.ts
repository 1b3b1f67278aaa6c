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
export function createEngine(options: EngineOptions) {
  const ctx: EngineContext = { ...options, serial: createSerialQueue() };
  const { bot, surface, log } = ctx;

  /** Commands whose marked answer is being sent right now (by `reanswer` or an adapter's ack). */
  const answering = new Set<string>();

  /** The right to answer a marked command, or undefined while someone else is answering it. */
  function claimAnswer(eventId: string): (() => void) | undefined {
    if (answering.has(eventId)) return undefined;
    answering.add(eventId);
    return () => answering.delete(eventId);
  }

  /** Posts a marked answer unless a replay answers or answered it (Socket Mode redelivers). */
  async function reanswer(eventId: string, reply: Reply, to: Unanswered): Promise<boolean> {
    const release = claimAnswer(eventId);
    if (!release) return false;
    try {
      if (!bot.isUnanswered(surface.platform, eventId)) return false;
      await surface.post(to.room, reply, {
        visibility: reply.visibility,
        user: to.user,
        via: to.via,
        key: `reply-${eventId}`,
      });
      bot.answered(surface.platform, [eventId]);
      return true;
    } finally {
      release();
    }
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
    reanswer: (eventId: string, reply: Reply, to: Unanswered): Promise<boolean> =>
      reanswer(eventId, reply, to),

    /**
     * For an adapter about to answer a replayed, still-marked command on its own channel (Slack:
     * the redelivery's ack): the right to, released once the mark is dropped; undefined while
     * `reanswer` is sending that answer, so it is not sent twice.
     */
    claimAnswer,
  };
}

export type Engine = ReturnType<typeof createEngine>;
