import type { Bot } from "../../core/bot.ts";
import type { Engine } from "../../core/engine.ts";
import type { Incoming, Mode } from "../../core/incoming.ts";
import type { Logger } from "../../logging.ts";
import type { E2ee } from "./e2ee.ts";
import { stripReplyFallback } from "./render.ts";
import { describe } from "./retry.ts";
import type { Undecryptables } from "./undecryptable.ts";
import { obj, type RawEvent, str } from "./wire.ts";

export interface RouterOptions {
  bot: Bot;
  engine: Engine;
  e2ee: E2ee;
  /** encrypted events we hold no key for yet (undecryptable.ts) */
  undecryptable: Undecryptables;
  log: Logger;
  /** "now" for an event without a server timestamp */
  now: () => number;
  userId: string;
  /** aborted when the adapter stops: an event cut short then must fail the batch, not be skipped */
  signal: AbortSignal;
  /** the room's m.room.encryption state content, asked of the homeserver (outbox.ts) */
  encryptionOf: (roomId: string) => Promise<Record<string, unknown> | undefined>;
}

export type { Mode } from "../../core/incoming.ts";

const PIN = "📌";

/**
 * Matrix events as the core sees them: messages and commands (`said`), edits (`m.replace`),
 * 📌 reactions, redactions. What happens then is the engine's; each event is committed before
 * `route` returns and its follow-up awaited, so when a batch has been routed everything in it
 * is durable and the sync position may be saved.
 */
export function createRouter(o: RouterOptions) {
  /** display names seen in member events; falls back to the localpart */
  const names = new Map<string, string>();

  const nameOf = (userId: string) =>
    names.get(userId) ?? userId.slice(1, userId.includes(":") ? userId.indexOf(":") : undefined);

  function learnMember(event: RawEvent): void {
    if (event.type !== "m.room.member" || !event.state_key) return;
    const name = str(event.content.displayname);
    if (name) names.set(event.state_key, name);
  }

  function message(roomId: string, event: RawEvent): Incoming | undefined {
    const content = event.content;
    const relation = obj(content["m.relates_to"]);
    if (str(relation?.rel_type) === "m.replace") {
      const target = str(relation?.event_id);
      const body = str(obj(content["m.new_content"])?.body);
      if (!target || body === undefined) return undefined;
      return {
        kind: "edited",
        platform: "matrix",
        room: roomId,
        messageId: target,
        text: body,
        by: event.sender,
        editId: event.event_id!,
      };
    }
    const msgtype = str(content.msgtype);
    // Notices are what bots send; answering them risks bot loops. Files and images carry no text.
    if (msgtype !== "m.text" && msgtype !== "m.emote") return undefined;
    const body = str(content.body);
    if (body === undefined) return undefined;
    // Only a reply carries a quoted fallback; a message that merely starts with "> " is a quote.
    const text = obj(relation?.["m.in_reply_to"]) ? stripReplyFallback(body) : body;
    return {
      kind: "said",
      invocation: {
        platform: "matrix",
        actor: { id: event.sender, name: nameOf(event.sender) },
        room: roomId,
        text,
        eventId: event.event_id!,
        time: event.origin_server_ts ?? o.now(),
      },
    };
  }

  function reaction(event: RawEvent): Incoming | undefined {
    const relation = obj(event.content["m.relates_to"]);
    const key = str(relation?.key)?.replace(/\uFE0F/g, "");
    const target = str(relation?.event_id);
    if (str(relation?.rel_type) !== "m.annotation" || key !== PIN || !target) return undefined;
    const reactionId = event.event_id ?? null;
    return { kind: "pinned", platform: "matrix", messageId: target, by: event.sender, reactionId };
  }

  /**
   * One raw event as the core sees it; members and room encryption are learned on the way. An
   * encrypted event is decrypted first and then read like any other; one we hold no key for is
   * recorded to be tried again when keys arrive (`mode` is how it will be handled then).
   */
  async function learnEncryption(roomId: string): Promise<void> {
    const content = await o.encryptionOf(roomId);
    if (content)
      await o.e2ee.noteState(roomId, {
        type: "m.room.encryption",
        state_key: "",
        sender: "",
        content,
      });
  }

  async function toIncoming(
    roomId: string,
    raw: RawEvent,
    mode: Mode = "history",
  ): Promise<Incoming | undefined> {
    learnMember(raw);
    await o.e2ee.noteState(roomId, raw);
    if (!raw.event_id || raw.sender === o.userId) return undefined;
    if (raw.unsigned && "redacted_because" in raw.unsigned) return undefined;
    let event = raw;
    if (raw.type === "m.room.encrypted") {
      // A room joined before this version, or whose state came before the saved sync position,
      // never showed us its m.room.encryption: ask once, so our replies there are encrypted too.
      if (!o.e2ee.isEncrypted(roomId)) await learnEncryption(roomId);
      const clear = await o.e2ee.open(roomId, raw);
      if ("undecryptable" in clear) {
        await o.undecryptable.record(roomId, raw, mode, clear);
        return undefined;
      }
      event = clear;
    }
    switch (event.type) {
      case "m.room.message":
        return message(roomId, event);
      case "m.reaction":
        return reaction(event);
      case "m.room.redaction": {
        const target = event.redacts ?? str(event.content.redacts);
        if (!target) return undefined;
        return { kind: "retracted", platform: "matrix", room: roomId, target, by: event.sender };
      }
      default:
        return undefined;
    }
  }

  return {
    learnMember,
    toIncoming,
    /**
     * One timeline event of a joined room. A failure is this event's alone: logged, and the
     * batch goes on with the next event (a stop, though, ends the batch unsaved).
     */
    async route(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
      try {
        const incoming = await toIncoming(roomId, event, mode);
        if (!incoming) return;
        await o.engine.receive(incoming, mode).after?.();
      } catch (error) {
        if (o.signal.aborted) throw error;
        o.log.error(
          { roomId, eventId: event.event_id, type: event.type, mode, err: describe(error) },
          "could not handle an event; going on with the next",
        );
      }
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
