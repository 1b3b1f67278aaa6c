import type { Platform } from "../incidents/types.ts";
import type { Incoming } from "./incoming.ts";
import type { ReplyFile } from "./reply.ts";

/**
 * A piece of a message the surface renders in its own format: plain text (escaped by the
 * surface), or a pointer to a room or a person that the platform shows as a link or a mention.
 */
export type Inline = string | { room: string; name?: string } | { user: string };

/** What the engine says: an optional bold title line, then text ("• " lines are list items). */
export interface Message {
  title?: string;
  text: string | readonly Inline[];
}

export interface PostOptions {
  /** "caller": only `user` sees it where the platform can (Slack ephemeral); else the room */
  visibility: "channel" | "caller";
  /** the person the message answers (for "caller", and for platforms that mention them) */
  user?: string;
  /** the message this answers (Matrix shows it as a reply) */
  inReplyTo?: string;
  /**
   * A name for this post that stays the same when it is sent again after a crash; a surface
   * whose platform deduplicates sends by it (Matrix transaction ids) posts it once.
   */
  key?: string;
  /** a platform handle that reaches the caller even where the bot is no member (Slack response_url) */
  via?: string;
}

/** The incident a room is for: each surface names the room by its own rules. */
export interface RoomIncident {
  id: number;
  title: string;
}

export interface RoomSpec {
  incident: RoomIncident;
  topic: string;
  /** invited as the room is made (the caller): they see it at once */
  invite: readonly string[];
  /**
   * A name for the room, unique to this incident in this database, that `findRoom` can look it up
   * by: a crash between creating the room and recording it must not make a second room.
   */
  marker: string;
  /** the room the incident was declared in (Matrix encrypts the new room when that one is) */
  from?: string;
}

/** The outcome of an upload or of posting a file as text: ok, or the platform's reason. */
export type Delivered = { ok: true } | { ok: false; reason: string };

/** Which part of a room's history to read. */
export interface HistoryRange {
  /** from this stored message on, itself included (a catch-up compares from there) */
  since?: { messageId: string; at: number } | undefined;
  /** platform pagination tokens: walk back from `from` (Matrix prev_batch) down to `to` */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * One page of history, oldest first. `bounds` are the times (ms, inclusive) the page covers, so a
 * catch-up can compare it with what was stored between them.
 */
export interface HistoryPage {
  items: Incoming[];
  bounds?: { from: number; to: number };
}

/**
 * The outbound port: everything the engine needs a chat platform to do. Slack, Matrix and the
 * terminal each implement it (src/adapters/<platform>/surface.ts); a new platform implements it
 * and passes test/adapters/surfaceContract.ts. Every method may throw on a platform failure;
 * the engine logs and carries on with the next step.
 */
export interface ChatSurface {
  readonly platform: Platform;
  /** "Slack", "Matrix": how error notices name the platform ("Slack said: …") */
  readonly label: string;
  /** "channel", "room": what people call a room there */
  readonly roomNoun: string;
  /** true when sending the same `key` twice posts once (so a replay may answer again) */
  readonly idempotentPosts: boolean;
  /** Posts a message; returns its id when the platform gives one. */
  post(room: string, message: Message, options: PostOptions): Promise<string | undefined>;
  /** Replaces a message the bot posted. */
  edit(room: string, messageId: string, message: Message): Promise<void>;
  /** Pins a message the bot posted, keeping what others pinned. */
  pin(room: string, messageId: string): Promise<void>;
  /** Uploads a file into the room. Never throws: the reason comes back. */
  upload(room: string, file: ReplyFile, key?: string): Promise<Delivered>;
  /**
   * The file as messages, for when uploads fail: in pieces that fit the platform's size limits
   * (Slack code blocks of 3 000 characters, Matrix notices under the 64 KiB event limit).
   */
  postText(room: string, file: ReplyFile, key?: string): Promise<Delivered>;
  /** Creates a room for an incident and returns its id. */
  createRoom(spec: RoomSpec): Promise<string>;
  /**
   * The room created earlier with this marker, if the platform can tell. `since`: when the
   * attempt that may have made it began (ms), for a platform that must guess by name and age.
   */
  findRoom(marker: string, since?: number): Promise<string | undefined>;
  /** Makes the bot a member of a room it may not be in yet (Slack public channels). */
  join(room: string): Promise<void>;
  invite(room: string, user: string): Promise<void>;
  setTopic(room: string, topic: string): Promise<void>;
  /** Names the room after the incident again (after `/incident rename`). */
  rename(room: string, incident: RoomIncident): Promise<void>;
  /** A small mark that a tagged message was filed (Matrix ✅, the terminal's "(filed under …)"). */
  acknowledge(room: string, messageId: string, filed: string): Promise<void>;
  /** Resolves the room new incidents are announced in (an alias, a name), if configured. */
  announceRoom(): Promise<string | undefined>;
  /**
   * Would `history` list this stored message? (Slack's channel history leaves thread replies
   * out: their absence there is no deletion.)
   */
  inHistory(room: string, messageId: string): boolean;
  /** A room's history oldest first, one page at a time: never the whole room in memory. */
  history(room: string, range?: HistoryRange): AsyncIterable<HistoryPage>;
}
