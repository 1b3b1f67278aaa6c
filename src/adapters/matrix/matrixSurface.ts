import { MatrixError, Preset, Visibility } from "matrix-js-sdk";
import type { ReplyFile } from "../../core/reply.ts";
import type {
  ChatSurface,
  Delivered,
  HistoryPage,
  HistoryRange,
  Inline,
  Message,
} from "../../core/surface.ts";
import type { Logger } from "../../logging.ts";
import type { Outbox } from "./outbox.ts";
import { renderNotice } from "./render.ts";
import { describe } from "./retry.ts";
import type { RawEvent } from "./wire.ts";

const ENCRYPTION = { algorithm: "m.megolm.v1.aes-sha2" };

export interface MatrixSurfaceOptions {
  outbox: Outbox;
  log: Logger;
  /** the bot's own user id: its server part names the server room aliases live on */
  userId: string;
  /** room id or alias for "INC-n declared" announcements */
  announceRoom?: string | undefined;
  /** a room's history, oldest first (see history.ts) */
  history: (room: string, range: HistoryRange) => AsyncIterable<HistoryPage>;
  /** MATRIX_ENCRYPT_ROOMS: new incident rooms encrypted as the room declared from, always, never */
  encryptRooms: "auto" | "always" | "never";
  /** whether a room is end-to-end encrypted, and a way to say so for a room we just made */
  encryption: {
    isEncrypted(room: string): boolean;
    noteState(room: string, event: RawEvent): Promise<void>;
  };
}

/** The engine's keys become transaction ids: the homeserver drops a repeat after a crash. */
const txn = (key: string | undefined) => (key ? `hindsight-${key}` : undefined);

/** Rooms by name and matrix.to link (every client opens those), people by their user id. */
function plain(parts: string | readonly Inline[]): string {
  if (typeof parts === "string") return parts;
  return parts
    .map((p) => {
      if (typeof p === "string") return p;
      if (!("room" in p)) return p.user;
      const link = `https://matrix.to/#/${p.room}`;
      return p.name ? `${p.name} (${link})` : link;
    })
    .join("");
}

const noticeOf = (message: Message, inReplyTo?: string) =>
  renderNotice(
    {
      ...(message.title ? { title: message.title } : {}),
      text: plain(message.text),
      visibility: "channel",
    },
    inReplyTo,
  );

/** The chat surface over the Client-Server API (through the outbox: retries, rate limits). */
export function matrixSurface(o: MatrixSurfaceOptions): ChatSurface {
  const { outbox, log } = o;
  const server = o.userId.slice(o.userId.indexOf(":") + 1);
  let announceId: string | undefined;

  const surface: ChatSurface = {
    platform: "matrix",
    label: "Matrix",
    roomNoun: "room",
    idempotentPosts: true,

    // Matrix has no message only one person sees: "caller" notices go to the room, as replies.
    post: (room, message, options) =>
      outbox.notice(room, noticeOf(message, options.inReplyTo), txn(options.key)),

    edit: (room, messageId, message) => outbox.edit(room, messageId, noticeOf(message)),

    /** Added to what is pinned already: in an existing room others' pins stay. */
    async pin(room, messageId) {
      const pinned = await outbox.pinned(room);
      if (!pinned.includes(messageId))
        await outbox.state(room, "m.room.pinned_events", { pinned: [...pinned, messageId] });
    },

    async upload(room: string, file: ReplyFile, key?: string): Promise<Delivered> {
      const failed = await outbox.file(room, file, txn(key));
      return failed === undefined ? { ok: true } : { ok: false, reason: failed };
    },

    async postText(room: string, file: ReplyFile, key?: string): Promise<Delivered> {
      await outbox.inline(room, file, txn(key));
      return { ok: true };
    },

    /**
     * A private room named `INC-<n>: <title>`, with the marker as its alias: a second create
     * after a crash finds the alias taken (M_ROOM_IN_USE) and the room is looked up instead.
     */
    async createRoom(spec) {
      const encrypt =
        o.encryptRooms === "always" ||
        (o.encryptRooms === "auto" &&
          spec.from !== undefined &&
          o.encryption.isEncrypted(spec.from));
      const encryption = { type: "m.room.encryption", state_key: "", content: ENCRYPTION };
      try {
        const created = await outbox.createRoom({
          name: `INC-${spec.incident.id}: ${spec.incident.title}`,
          topic: spec.topic,
          preset: Preset.PrivateChat,
          visibility: Visibility.Private,
          invite: [...spec.invite],
          room_alias_name: spec.marker,
          ...(encrypt ? { initial_state: [encryption] } : {}),
        });
        // Known at once: the card posted next must be encrypted, before /sync shows the state. A
        // server set to encrypt new rooms itself (Synapse's
        // encryption_enabled_by_default_for_room_type) may have done so without being asked.
        const content = encrypt ? ENCRYPTION : await outbox.encryption(created.room_id);
        if (content)
          await o.encryption.noteState(created.room_id, {
            ...encryption,
            content,
            sender: o.userId,
          });
        return created.room_id;
      } catch (error) {
        const existing =
          error instanceof MatrixError && error.errcode === "M_ROOM_IN_USE"
            ? await surface.findRoom(spec.marker)
            : undefined;
        if (existing) return existing;
        throw error;
      }
    },

    async findRoom(marker) {
      try {
        return (await outbox.resolveAlias(`#${marker}:${server}`)).room_id;
      } catch (error) {
        if (error instanceof MatrixError && error.errcode === "M_NOT_FOUND") return undefined;
        throw error;
      }
    },

    // The bot is in every room it hears from; invitations are answered by the sync glue.
    async join() {},

    async invite(room, user) {
      try {
        await outbox.invite(room, user);
      } catch (error) {
        // A homeserver refuses to invite a member (403): someone already in is invited enough.
        // Any other refusal, or a membership that cannot be read, is the invite's own failure.
        const member =
          error instanceof MatrixError &&
          error.httpStatus === 403 &&
          (await outbox.membership(room, user).catch(() => undefined)) === "join";
        if (!member) throw error;
      }
    },

    setTopic: (room, topic) => outbox.state(room, "m.room.topic", { topic }),

    rename: (room, incident) =>
      outbox.state(room, "m.room.name", { name: `INC-${incident.id}: ${incident.title}` }),

    acknowledge: (room, messageId) => outbox.react(room, messageId, "✅"),

    async announceRoom() {
      if (!o.announceRoom) return undefined;
      try {
        announceId ??= o.announceRoom.startsWith("#")
          ? (await outbox.resolveAlias(o.announceRoom)).room_id
          : o.announceRoom;
        return announceId;
      } catch (error) {
        log.warn({ err: describe(error) }, "MATRIX_ANNOUNCE_ROOM could not be resolved");
        return undefined;
      }
    },

    inHistory: () => true,

    history: (room, range = {}) => o.history(room, range),
  };
  return surface;
}
