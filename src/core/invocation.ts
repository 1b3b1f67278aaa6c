import type { Platform } from "../incidents/types.ts";

/** Who typed something, as the platform knows them. */
export interface Actor {
  /** platform user id: "U012ABC" (Slack), "@alice:example.org" (Matrix), "console" */
  id: string;
  /** display name for replies and roles */
  name: string;
  /** IANA zone from the user's profile (Slack), if known */
  timezone?: string;
  /**
   * true when `name` is an operating-system account (a terminal session), not a chat display
   * name: it is never written into a post-mortem.
   */
  osAccount?: boolean;
}

/**
 * One thing a person said to the bot, whatever the platform: a slash command or a room message.
 * Adapters build it; the core never sees an SDK object.
 */
export interface Invocation {
  platform: Platform;
  actor: Actor;
  /** platform room/channel id where it was said */
  room: string;
  /**
   * What was typed, as typed: "/incident start Downtime", "!timeline add 10:05 …" or a plain
   * message. Slack adapters join the slash command and its text. The core decides what is a command.
   */
  text: string;
  /** platform event id (Slack event/trigger id, Matrix event id) used to dedupe redeliveries */
  eventId?: string;
  /** when the platform says it was said, ms since the epoch */
  time: number;
}
