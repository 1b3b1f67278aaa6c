import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import { isCommandLine } from "../../core/dispatcher.ts";
import type { Reply } from "../../core/reply.ts";
import type { Logger } from "../../logging.ts";
import type { IncidentRooms } from "./incidentRooms.ts";
import type { Outbox } from "./outbox.ts";
import { renderNotice, stripReplyFallback } from "./render.ts";
import { describe } from "./retry.ts";
import { obj, type RawEvent, str } from "./wire.ts";

export interface RouterOptions {
  bot: Bot;
  outbox: Outbox;
  rooms: IncidentRooms;
  log: Logger;
  clock: Clock;
  userId: string;
  /** aborted when the adapter stops: an event cut short then must fail the batch, not be skipped */
  signal: AbortSignal;
}

/** How an event reached us: live from /sync (commands run) or from history (collect only). */
export type Mode = "live" | "history";

const PIN = "📌";
const ENCRYPTED_NOTICE = "matrix:encrypted-notice:";

/**
 * The transaction id of the reply to a command event. Derived from the event, so the reply sent
 * again after a crash (the command is then a duplicate carrying its stored reply) is deduplicated
 * by a homeserver that already got it, and posted by one that did not.
 */
export const replyTxn = (eventId: string) => `hindsight-reply-${eventId}`;

/**
 * Routes one room timeline event into the core: messages and commands to `bot.handle`, edits
 * (`m.replace`) to `editMessage`, 📌 reactions to `pin`, redactions to `unpin`/`deleteMessage`.
 * Each core call commits before it returns; replies are awaited, so when a batch has been routed
 * everything in it is durable and the sync position may be saved.
 */
export function createRouter(o: RouterOptions) {
  const { bot } = o;
  /** display names seen in member events; falls back to the localpart */
  const names = new Map<string, string>();

  const nameOf = (userId: string) =>
    names.get(userId) ?? userId.slice(1, userId.includes(":") ? userId.indexOf(":") : undefined);

  function learnMember(event: RawEvent): void {
    if (event.type !== "m.room.member" || !event.state_key) return;
    const name = str(event.content.displayname);
    if (name) names.set(event.state_key, name);
  }

  async function encrypted(roomId: string): Promise<void> {
    // Said once per room, remembered in the database so restarts stay quiet.
    const key = `${ENCRYPTED_NOTICE}${roomId}`;
    if (bot.repos.state.get(key)) return;
    bot.repos.state.set(key, "1");
    await o.outbox.notice(
      roomId,
      renderNotice({
        text: "This room is end-to-end encrypted, and Hindsight cannot read encrypted rooms yet: commands and messages here are not seen. Use an unencrypted room for the incident.",
        visibility: "channel",
      }),
    );
  }

  function edit(event: RawEvent, relation: Record<string, unknown> | undefined): void {
    const target = str(relation?.event_id);
    const body = str(obj(event.content["m.new_content"])?.body);
    // Only the original sender can edit a message (the spec tells clients to ignore others).
    const original = target ? bot.repos.messages.byEvent("matrix", target) : undefined;
    if (!original || original.authorId !== event.sender || body === undefined) return;
    // The edit's own id is claimed with it: a replayed older edit must not undo a newer one.
    bot.repos.transaction(() => {
      if (bot.repos.state.claimEvent("matrix", event.event_id!, o.clock.now()))
        bot.editMessage("matrix", original.eventId, body);
    });
  }

  async function message(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
    const content = event.content;
    const relation = obj(content["m.relates_to"]);
    if (str(relation?.rel_type) === "m.replace") return edit(event, relation);
    const msgtype = str(content.msgtype);
    // Notices are what bots send; answering them risks bot loops. Files and images carry no text.
    if (msgtype !== "m.text" && msgtype !== "m.emote") return;
    const body = str(content.body);
    if (body === undefined) return;
    // Only a reply carries a quoted fallback; a message that merely starts with "> " is a quote.
    const text = obj(relation?.["m.in_reply_to"]) ? stripReplyFallback(body) : body;
    // Commands found in history (a late join, the very first start) are not run: only what was
    // said to a running bot, or while it was down (resumed from its saved sync position), is.
    if (mode === "history" && isCommandLine(text)) return;
    const result = bot.handle({
      platform: "matrix",
      actor: { id: event.sender, name: nameOf(event.sender) },
      room: roomId,
      text,
      eventId: event.event_id!,
      time: event.origin_server_ts ?? o.clock.now(),
    });
    await answer(roomId, event, result, mode);
  }

  async function send(roomId: string, event: RawEvent, reply: Reply, ok: boolean): Promise<void> {
    const eventId = event.event_id!;
    await o.outbox.notice(roomId, renderNotice(reply, eventId), replyTxn(eventId));
    if (reply.file) await o.outbox.file(roomId, reply.file, replyTxn(eventId));
    if (ok) await o.rooms.apply(reply.effects, event.sender, roomId);
  }

  async function answer(roomId: string, event: RawEvent, result: HandleResult, mode: Mode) {
    switch (result.kind) {
      case "ok":
      case "user-error":
      case "internal-error":
        return send(roomId, event, result.reply, result.kind === "ok");
      case "duplicate":
        // A command replayed after a crash may not have been answered: answer again (the fixed
        // transaction id makes that a no-op where it was) and redo its effects, which are
        // idempotent. Only live: history never ran commands.
        if (mode === "live" && result.reply) return send(roomId, event, result.reply, true);
        return;
      case "collected":
        // History is collected quietly: a ✅ on every old tagged message is noise (and rate limits).
        if (mode === "live" && result.applied) await o.outbox.react(roomId, event.event_id!, "✅");
        // A tag refused by its command's limits is answered like a command's error would be.
        if (mode === "live" && result.reply) await send(roomId, event, result.reply, false);
        if (mode === "live" && result.applied === "action")
          await o.rooms.refresh(result.incident, false);
        return;
      default:
        return;
    }
  }

  function reaction(event: RawEvent): void {
    const relation = obj(event.content["m.relates_to"]);
    const key = str(relation?.key)?.replace(/\uFE0F/g, "");
    const target = str(relation?.event_id);
    if (str(relation?.rel_type) !== "m.annotation" || key !== PIN || !target) return;
    bot.pin({
      platform: "matrix",
      messageEventId: target,
      actorId: event.sender,
      reactionEventId: event.event_id ?? null,
    });
  }

  function redaction(event: RawEvent): void {
    const target = event.redacts ?? str(event.content.redacts);
    if (!target) return;
    // The redacted event is either a 📌 reaction (the pin goes) or a collected message.
    const unpinned = bot.unpin({ platform: "matrix", reactionEventId: target });
    if (unpinned === "not-pinned") bot.deleteMessage("matrix", target, event.sender);
  }

  async function dispatchEvent(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
    switch (event.type) {
      case "m.room.message":
        return message(roomId, event, mode);
      case "m.reaction":
        return reaction(event);
      case "m.room.redaction":
        return redaction(event);
      case "m.room.encrypted":
      case "m.room.encryption":
        return encrypted(roomId);
      default:
        return;
    }
  }

  return {
    learnMember,
    encrypted,
    /**
     * One timeline event of a joined room. A failure is this event's alone: logged, and the
     * batch goes on with the next event (a stop, though, ends the batch unsaved).
     */
    async route(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
      learnMember(event);
      if (!event.event_id || event.sender === o.userId) return;
      if (event.unsigned && "redacted_because" in event.unsigned) return;
      try {
        await dispatchEvent(roomId, event, mode);
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
