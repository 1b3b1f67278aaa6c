import type { KeyValue } from "../../core/bot.ts";
import type { ReplyFile } from "../../core/reply.ts";
import type {
  ChatSurface,
  Delivered,
  Inline,
  Message,
  PostOptions,
  RoomIncident,
} from "../../core/surface.ts";
import type { Logger } from "../../logging.ts";
import { candidateName, incidentChannelName } from "./channelName.ts";
import { channelHistory } from "./history.ts";
import { slackErrorCode, type WebClient } from "./slackApi.ts";
import { escapeSlack, markdownChunks } from "./text.ts";
import type { UserCache } from "./users.ts";

export interface SlackSurfaceOptions {
  client: WebClient;
  log: Logger;
  users: UserCache;
  store: KeyValue;
  /** channel id or name where new incidents are announced */
  announceChannel?: string | undefined;
  /** how long a command found in history may wait for its author's profile (zone) */
  profileBudgetMs: number;
  /** the bot's own user id (auth.test), known once the adapter has started */
  botUser: () => string;
  pageSize?: number;
}

const MAX_NAME_ATTEMPTS = 20;
/** a response_url post gives up after this (the Web API client's own calls have their timeout) */
const RESPOND_TIMEOUT_MS = 10_000;
/** conversations.list page size: Slack allows up to 1000 and recommends no more than 200. */
const LIST_PAGE = 200;
/** Slack cuts channel topics at 250 characters. */
const TOPIC_MAX = 250;
/** Stored thread replies: channel history does not list them, so their absence there is no deletion. */
export const threadReplyKey = (messageId: string) => `thread-reply:${messageId}`;

/** Slack mrkdwn: plain parts escaped (`&`, `<`, `>`), rooms and people as links and mentions. */
export function slackText(message: Message): string {
  const parts: readonly Inline[] = typeof message.text === "string" ? [message.text] : message.text;
  const body = parts
    .map((p) =>
      typeof p === "string" ? escapeSlack(p) : "room" in p ? `<#${p.room}>` : `<@${p.user}>`,
    )
    .join("");
  return message.title ? `*${escapeSlack(message.title)}*\n${body}` : body;
}

/** The purpose of an incident channel; the marker in parentheses is how findRoom knows it. */
export const purposeOf = (incidentId: number, marker: string) =>
  `Incident channel of INC-${incidentId}, kept by Hindsight (${marker})`;

const reasonOf = (error: unknown) =>
  slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));

/** The chat surface over Slack's Web API (and a command's response_url). */
export function slackSurface(o: SlackSurfaceOptions): ChatSurface {
  const { client, log } = o;

  async function respond(via: string, text: string, visibility: PostOptions["visibility"]) {
    const res = await fetch(via, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        response_type: visibility === "channel" ? "in_channel" : "ephemeral",
        text,
      }),
      // An answer that hangs must not hold its "unanswered" mark (or the stop) for ever.
      signal: AbortSignal.timeout(RESPOND_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
  }

  async function nameChannel(
    incident: RoomIncident,
    act: (name: string) => Promise<string | undefined>,
  ): Promise<string> {
    const base = incidentChannelName(incident.id, incident.title);
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      try {
        const id = await act(candidateName(base, attempt));
        if (id) return id;
        throw new Error("Slack returned no channel id");
      } catch (error) {
        if (slackErrorCode(error) !== "name_taken") throw error;
      }
    }
    throw new Error(`channel names ${base} … ${base}-${MAX_NAME_ATTEMPTS} are all taken`);
  }

  const surface: ChatSurface = {
    platform: "slack",
    label: "Slack",
    roomNoun: "channel",
    idempotentPosts: false,

    async post(room, message, options) {
      const text = slackText(message);
      if (options.via) {
        await respond(options.via, text, options.visibility);
        return undefined;
      }
      if (options.visibility === "caller" && options.user) {
        await client.chat.postEphemeral({ channel: room, user: options.user, text });
        return undefined;
      }
      return (await client.chat.postMessage({ channel: room, text })).ts;
    },

    async edit(room, messageId, message) {
      await client.chat.update({ channel: room, ts: messageId, text: slackText(message) });
    },

    async pin(room, messageId) {
      try {
        await client.pins.add({ channel: room, timestamp: messageId });
      } catch (error) {
        if (slackErrorCode(error) !== "already_pinned") throw error;
      }
    },

    async upload(room: string, file: ReplyFile): Promise<Delivered> {
      try {
        await client.filesUploadV2({
          channel_id: room,
          filename: file.name,
          title: file.name,
          content: file.content,
        });
        return { ok: true };
      } catch (error) {
        log.warn({ err: error, channel: room, file: file.name }, "draft upload failed");
        return { ok: false, reason: reasonOf(error) };
      }
    },

    /**
     * The Markdown as preformatted rich-text blocks: they render as code blocks, and unlike a
     * mrkdwn ``` fence their text is taken literally (no &amp; escaping, and a ``` in the document
     * cannot end the block), so what people copy is the draft exactly.
     */
    async postText(room: string, file: ReplyFile): Promise<Delivered> {
      const chunks = markdownChunks(file.content);
      try {
        for (const [i, chunk] of chunks.entries()) {
          await client.chat.postMessage({
            channel: room,
            text: escapeSlack(`${file.name} (${i + 1}/${chunks.length})`),
            blocks: [
              {
                type: "rich_text",
                elements: [
                  { type: "rich_text_preformatted", elements: [{ type: "text", text: chunk }] },
                ],
              },
            ],
          });
        }
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },

    /** inc-<n>-<slug>; a taken name gets -2, -3, … */
    async createRoom(spec) {
      const channel = await nameChannel(
        spec.incident,
        async (name) =>
          (await client.conversations.create({ name, is_private: false })).channel?.id,
      );
      // The marker goes in the purpose at once: after a crash, findRoom knows the channel by it.
      await client.conversations
        .setPurpose({ channel, purpose: purposeOf(spec.incident.id, spec.marker) })
        .catch((error: unknown) => {
          log.warn({ err: error, channel }, "could not set the channel purpose");
        });
      await surface.setTopic(channel, spec.topic).catch((error: unknown) => {
        log.warn({ err: error, channel }, "could not set the channel topic");
      });
      for (const user of spec.invite) {
        // The channel exists either way: a refused invitation must not make it look uncreated.
        await surface.invite(channel, user).catch((error: unknown) => {
          log.warn({ err: error, channel }, "could not invite the caller");
        });
      }
      return channel;
    },

    /**
     * The channel a crashed attempt created: its purpose carries the marker, or, when the crash
     * came before the purpose was set, the bot created it under the incident's name and nobody
     * has given it a purpose since. Names alone collide across databases; the marker does not.
     */
    async findRoom(marker, since) {
      const id = /-inc-(\d+)$/.exec(marker)?.[1];
      let cursor: string | undefined;
      let bare: string | undefined;
      do {
        const page = await client.conversations.list({
          types: "public_channel",
          exclude_archived: true,
          limit: LIST_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const c of page.channels ?? []) {
          if (!c.id) continue;
          const purpose = c.purpose?.value ?? "";
          if (purpose.includes(`(${marker})`)) return c.id;
          const named = id !== undefined && new RegExp(`^inc-${id}(-|$)`).test(c.name ?? "");
          // Made by the bot since the attempt began (a minute's leeway for clocks), not before.
          const young = since === undefined || (c.created ?? 0) * 1000 >= since - 60_000;
          if (named && young && purpose === "" && c.creator === o.botUser()) bare ??= c.id;
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return bare;
    },

    async join(room) {
      await client.conversations.join({ channel: room });
    },

    async invite(room, user) {
      try {
        await client.conversations.invite({ channel: room, users: user });
      } catch (error) {
        // The creator may already be in it (or be the bot itself): nothing to do.
        const code = slackErrorCode(error);
        if (code !== "already_in_channel" && code !== "cant_invite_self") throw error;
      }
    },

    async setTopic(room, topic) {
      await client.conversations.setTopic({ channel: room, topic: topic.slice(0, TOPIC_MAX) });
    },

    async rename(room, incident) {
      await nameChannel(incident, async (name) => {
        await client.conversations.rename({ channel: room, name });
        return room;
      });
    },

    // Slack has no quiet way to say "filed" (a reaction needs another scope): nothing.
    async acknowledge() {},

    async announceRoom() {
      return o.announceChannel;
    },

    inHistory: (_room, messageId) => o.store.get(threadReplyKey(messageId)) === undefined,

    history: (room, range = {}) =>
      channelHistory(
        { client, log, users: o.users, profileBudgetMs: o.profileBudgetMs, pageSize: o.pageSize },
        room,
        range,
      ),
  };
  return surface;
}
