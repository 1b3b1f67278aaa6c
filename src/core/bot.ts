import type { DecideOpening } from "../incidents/alerts.ts";
import type { Incident, ReceivedGroup, StoredMessage } from "../incidents/types.ts";
import { tellObserver } from "../logging.ts";
import { type DispatchContext, dispatch, type Outcome, type Unanswered } from "./dispatcher.ts";
import { internalFailure } from "./failure.ts";
import type { Invocation } from "./invocation.ts";
import type { Registry } from "./registry.ts";
import { type Reply, reply } from "./reply.ts";

/** Where an answer can still reach its caller after a crash (kept with the command's event id). */
export type { Unanswered };

/** A per-platform key/value store for adapter and engine state (sync position, card ids). */
export interface KeyValue {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** this platform's keys starting with `prefix` (the platform's own prefix left out) */
  entries(prefix: string): { key: string; value: string }[];
}

export type HandleResult =
  /** duplicate: a redelivery; `unanswered`: the first delivery committed but never got its answer out */
  | Exclude<Outcome, { kind: "not-a-command" }>
  | {
      kind: "collected";
      incident: Incident;
      applied: "section" | "action" | "timeline" | undefined;
      section?: string;
      /** a tag refused by its command's limits: one line for the author, only them */
      reply?: Reply;
    }
  /** a plain message outside any incident's room: nothing to do */
  | { kind: "ignored" };

export interface Observer {
  /** called once per handled command with its outcome and how long it took (metrics) */
  commandHandled?(outcome: Outcome, durationMs: number): void;
  messageCollected?(): void;
}

/**
 * The one entry point adapters call. Everything is synchronous and transactional (better-sqlite3):
 * when a method returns, what it did is committed.
 */
export function createBot(registry: Registry, ctx: DispatchContext, observer: Observer = {}) {
  const { stores, incidents, clock } = ctx;
  // An observer that throws must neither undo a message nor turn a committed command into a
  // failure (its caller would say "nothing was saved").
  const observe = (tell: () => void): void => tellObserver(ctx.log, tell);
  return {
    registry,
    /** HINDSIGHT_CREATE_ROOMS: an incident gets a room of its own */
    createRooms: ctx.settings.createRooms,
    /**
     * A message or a command, committed when this returns. With `unanswered`, the command's
     * stored reply is marked as not yet delivered, in the same transaction, until `answered`.
     */
    handle(invocation: Invocation, options: { unanswered?: Unanswered } = {}): HandleResult {
      const started = performance.now();
      const { unanswered } = options;
      // The mark goes in with the command's own transaction: one commit, one write of the reply.
      const outcome = dispatch(
        registry,
        invocation,
        ctx,
        unanswered && invocation.eventId ? unanswered : undefined,
      );
      if (outcome.kind !== "not-a-command") {
        observe(() => observer.commandHandled?.(outcome, performance.now() - started));
        return outcome;
      }
      try {
        return stores.transaction((): HandleResult => {
          const incident = incidents.forRoom(invocation.platform, invocation.room);
          if (!incident) return { kind: "ignored" };
          const result = incidents.messages.collect(
            incident,
            {
              platform: invocation.platform,
              room: invocation.room,
              eventId:
                invocation.eventId ??
                `${invocation.platform}:${invocation.time}:${invocation.actor.id}`,
              authorId: invocation.actor.id,
              authorName: invocation.actor.name,
              at: invocation.time,
              text: invocation.text,
            },
            clock.now(),
          );
          if (result.kind === "duplicate") return { kind: "duplicate" };
          observe(() => observer.messageCollected?.());
          return {
            kind: "collected",
            incident,
            applied: result.applied,
            ...(result.section ? { section: result.section } : {}),
            ...(result.refused ? { reply: reply.caller(result.refused) } : {}),
          };
        });
      } catch (error) {
        // A message that cannot be stored (disk full, read-only file) must not end the process:
        // adapters call handle() for every room message and expect a result, never a throw.
        const { ref, text } = internalFailure(
          error,
          ctx.log,
          { platform: invocation.platform, room: invocation.room },
          "message not collected",
        );
        return { kind: "internal-error", ref, reply: reply.caller(text) };
      }
    },
    /** Is this room an incident's room? (adapters decide whether to backfill or listen) */
    incidentForRoom: (platform: string, room: string): Incident | undefined =>
      incidents.forRoom(platform, room),
    incident: (id: number): Incident | undefined => incidents.get(id),
    openIncidents: (): Incident[] => incidents.list({ all: false }),
    /** The rooms bound to an incident on one platform, first bound first. */
    roomsOf: (incidentId: number, platform: string): string[] =>
      incidents.roomsOf(incidentId, platform),
    storedMessage: (platform: string, eventId: string): StoredMessage | undefined =>
      incidents.messages.byEvent(platform, eventId),
    /** The first and the last message stored for an incident in a room (catch-up bounds). */
    storedRange: (incidentId: number, platform: string, room: string) =>
      incidents.messages.range(incidentId, platform, room),
    storedBetween: (incidentId: number, platform: string, room: string, from: number, to: number) =>
      incidents.messages.between(incidentId, platform, room, from, to),
    /** The summary card as it is now: what `/incident status` shows and rooms pin. */
    summaryCard: (incident: Incident) => incidents.summaryCard(incident, clock.now()),
    /** Key/value state of one platform; keys are kept apart per platform. */
    store(platform: string): KeyValue {
      const key = (k: string) => `${platform}:${k}`;
      return {
        get: (k) => stores.kv.get(key(k)),
        set: (k, v) => stores.transaction(() => stores.kv.set(key(k), v)),
        delete: (k) => stores.transaction(() => stores.kv.delete(key(k))),
        entries: (prefix) =>
          stores.kv
            .entries(key(prefix))
            .map((e) => ({ key: e.key.slice(platform.length + 1), value: e.value })),
      };
    },
    /**
     * Runs `fn` once per delivery id, in one transaction with the claim: a redelivery returns
     * undefined and changes nothing. What `fn` does through this bot joins the transaction.
     */
    acceptOnce<T>(platform: string, deliveryId: string, fn: () => T): T | undefined {
      return stores.transaction(() =>
        stores.events.claim(platform, deliveryId, clock.now()) ? fn() : undefined,
      );
    },
    /** Commands handled since `since` (ms) whose answer was never confirmed (a crash before it). */
    unanswered(platform: string, since: number) {
      return stores.events.unansweredReplies(platform, since).map((row) => ({
        eventId: row.eventId,
        reply: JSON.parse(row.reply) as Reply,
        to: JSON.parse(row.unanswered) as Unanswered,
      }));
    },
    /** Is this command's answer still marked undelivered? */
    isUnanswered: (platform: string, eventId: string): boolean =>
      stores.events.storedReply(platform, eventId)?.unanswered !== undefined,
    /** The answers to these commands reached their callers: drop the marks (one transaction). */
    answered(platform: string, eventIds: readonly string[]): void {
      stores.transaction(() => {
        for (const eventId of eventIds) stores.events.clearUnanswered(platform, eventId);
      });
    },
    editMessage: (platform: string, eventId: string, text: string): boolean =>
      stores.transaction(() => incidents.messages.edit(platform, eventId, text, clock.now())),
    deleteMessage: (platform: string, eventId: string, actorId: string): boolean =>
      stores.transaction(() => incidents.messages.delete(platform, eventId, actorId, clock.now())),
    pin: (pin: {
      platform: string;
      messageEventId: string;
      actorId: string;
      reactionEventId: string | null;
    }) => stores.transaction(() => incidents.messages.pin(pin, clock.now())),
    unpin: (unpin: {
      platform: string;
      messageEventId?: string;
      actorId?: string;
      reactionEventId?: string;
    }) => stores.transaction(() => incidents.messages.unpin(unpin, clock.now())),
    /** A webhook's alert group, committed in one transaction when this returns (src/alerts/). */
    receiveAlerts: (group: ReceivedGroup, decide: DecideOpening) =>
      stores.transaction(() => incidents.receiveAlerts(group, decide, clock.now())),
    bindRoom: (incidentId: number, platform: string, room: string): void =>
      stores.transaction(() => incidents.bindRoom(incidentId, platform, room)),
  };
}

export type Bot = ReturnType<typeof createBot>;
