import type { Bot, HandleResult } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import type { IncidentRooms } from "./incidentRooms.ts";
import type { Outbox } from "./outbox.ts";
import { renderNotice, stripReplyFallback } from "./render.ts";
import { obj, type RawEvent, str } from "./wire.ts";

export interface RouterOptions {
  bot: Bot;
  outbox: Outbox;
  rooms: IncidentRooms;
  log: Logger;
  userId: string;
}

/** How an event reached us: live from /sync (commands run) or from history (collect only). */
export type Mode = "live" | "history";

const PIN = "📌";
const COMMAND = /^\s*[/!]/;
const ENCRYPTED_NOTICE = "matrix:encrypted-notice:";

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

  async function message(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
    const content = event.content;
    const relation = obj(content["m.relates_to"]);
    const eventId = event.event_id!;
    if (str(relation?.rel_type) === "m.replace") {
      const target = str(relation?.event_id);
      const body = str(obj(content["m.new_content"])?.body);
      // Only the original sender can edit a message (the spec tells clients to ignore others).
      const original = target ? bot.repos.messages.byEvent("matrix", target) : undefined;
      if (original && original.authorId === event.sender && body !== undefined)
        bot.editMessage("matrix", original.eventId, body);
      return;
    }
    const msgtype = str(content.msgtype);
    // Notices are what bots send; answering them risks bot loops. Files and images carry no text.
    if (msgtype !== "m.text" && msgtype !== "m.emote") return;
    const body = str(content.body);
    if (body === undefined) return;
    const text = stripReplyFallback(body);
    // Commands found in history (a late join, the very first start) are not run: only what was
    // said to a running bot, or while it was down (resumed from its saved sync position), is.
    if (mode === "history" && COMMAND.test(text)) return;
    const result = bot.handle({
      platform: "matrix",
      actor: { id: event.sender, name: nameOf(event.sender) },
      room: roomId,
      text,
      eventId,
      time: event.origin_server_ts ?? Date.now(),
    });
    await answer(roomId, event, result);
  }

  async function answer(roomId: string, event: RawEvent, result: HandleResult): Promise<void> {
    switch (result.kind) {
      case "ok":
      case "user-error":
      case "internal-error": {
        const reply = result.reply;
        await o.outbox.notice(roomId, renderNotice(reply, event.event_id));
        if (reply.file) await o.outbox.file(roomId, reply.file);
        if (result.kind === "ok") await o.rooms.apply(reply.effects, event.sender, roomId);
        return;
      }
      case "collected":
        if (result.applied) await o.outbox.react(roomId, event.event_id!, "✅");
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

  return {
    learnMember,
    encrypted,
    /** One timeline event of a joined room. */
    async route(roomId: string, event: RawEvent, mode: Mode): Promise<void> {
      learnMember(event);
      if (!event.event_id || event.sender === o.userId) return;
      if (event.unsigned && "redacted_because" in event.unsigned) return;
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
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
