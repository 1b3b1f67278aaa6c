import type { Clock } from "../clock.ts";
import type { Logger } from "../logging.ts";
import type { Bot } from "./bot.ts";
import type { SerialQueue } from "./serial.ts";
import type { ChatSurface } from "./surface.ts";

/**
 * Files action items in the team's issue tracker after `/action export` committed (the network
 * calls happen after the commit); resolves to the one line that says what happened.
 */
export type ExportActions = (job: { incidentId: number; numbers: number[] }) => Promise<string>;

/** What every part of the engine works with: one bot, one platform's surface. */
export interface EngineContext {
  bot: Bot;
  surface: ChatSurface;
  clock: Clock;
  log: Logger;
  /** set when a tracker is configured (HINDSIGHT_TRACKER) */
  exportActions?: ExportActions | undefined;
  /** per incident: card posts and edits in the order the changes happened */
  serial: SerialQueue;
}

/** Where a command came from: its room, its caller, and how to reach the caller directly. */
export interface Origin {
  room: string;
  user: string;
  /** the command's own message (Matrix replies to it) */
  eventId?: string | undefined;
  /** Slack's response_url: reaches the caller where the bot is no member */
  via?: string | undefined;
}

/** Runs one step of a follow-up; a failure is logged and the next step still runs. */
export async function step(ctx: EngineContext, what: string, work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    ctx.log.warn({ err: error, platform: ctx.surface.platform }, `${what} failed`);
  }
}
