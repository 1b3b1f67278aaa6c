import type { Incident } from "../../storage/records.ts";
import {
  collectMessage,
  deleteMessage,
  editMessage,
  pinMessage,
  unpinMessage,
} from "../incidents/collector.ts";
import { type DispatchContext, dispatch, type Outcome } from "./dispatcher.ts";
import { internalFailure } from "./failure.ts";
import type { Invocation } from "./invocation.ts";
import type { Registry } from "./registry.ts";
import { type Reply, reply } from "./reply.ts";

export type HandleResult =
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
  const { repos, clock } = ctx;
  return {
    registry,
    repos,
    handle(invocation: Invocation): HandleResult {
      const started = performance.now();
      const outcome = dispatch(registry, invocation, ctx);
      if (outcome.kind !== "not-a-command") {
        observer.commandHandled?.(outcome, performance.now() - started);
        return outcome;
      }
      try {
        return repos.transaction((): HandleResult => {
          const incident = repos.incidents.findByRoom(invocation.platform, invocation.room);
          if (!incident) return { kind: "ignored" };
          const result = collectMessage(
            repos,
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
          observer.messageCollected?.();
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
      repos.incidents.findByRoom(platform, room),
    editMessage: (platform: string, eventId: string, text: string): boolean =>
      repos.transaction(() => editMessage(repos, platform, eventId, text, clock.now())),
    deleteMessage: (platform: string, eventId: string, actorId: string): boolean =>
      repos.transaction(() => deleteMessage(repos, platform, eventId, actorId, clock.now())),
    pin: (pin: {
      platform: string;
      messageEventId: string;
      actorId: string;
      reactionEventId: string | null;
    }) => repos.transaction(() => pinMessage(repos, pin, clock.now())),
    unpin: (unpin: {
      platform: string;
      messageEventId?: string;
      actorId?: string;
      reactionEventId?: string;
    }) => repos.transaction(() => unpinMessage(repos, unpin, clock.now())),
    bindRoom: (incidentId: number, platform: string, room: string): void =>
      repos.transaction(() => repos.incidents.bindRoom(incidentId, platform, room)),
  };
}

export type Bot = ReturnType<typeof createBot>;
