import type { Platform } from "../incidents/types.ts";
import type { Invocation } from "./invocation.ts";

/**
 * What happened in a room, whatever the platform: adapters turn platform events into these, the
 * engine handles them the same way live, from history and in a catch-up.
 */
export type Incoming =
  /** a message or a command; `edited`: history shows it was edited since it was said */
  | { kind: "said"; invocation: Invocation; edited?: boolean }
  /** a message was edited; `by` (when the platform says) must be its author; `editId` is claimed */
  | {
      kind: "edited";
      platform: Platform;
      room: string;
      messageId: string;
      text: string;
      by?: string;
      editId?: string;
    }
  | { kind: "deleted"; platform: Platform; room: string; messageId: string; by: string }
  | {
      kind: "pinned";
      platform: Platform;
      messageId: string;
      by: string;
      reactionId: string | null;
    }
  | {
      kind: "unpinned";
      platform: Platform;
      messageId?: string;
      by?: string;
      reactionId?: string;
    }
  /** something was taken back that may be a 📌 reaction or a message (a Matrix redaction) */
  | { kind: "retracted"; platform: Platform; room: string; target: string; by: string };

/**
 * How an event reached the bot. "live": as it happened (commands run and are answered, tagged
 * messages acknowledged). "history": a first look at a room (commands never run; collected
 * quietly). "catch-up": said while the bot was down (commands run and are answered, quietly).
 */
export type Mode = "live" | "history" | "catch-up";
