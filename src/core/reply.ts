import type { Incident } from "../incidents/types.ts";

/**
 * Something an adapter should do after the command's transaction committed: create a room,
 * refresh a pinned summary. Domain changes are events the platform side reacts to (monzo/response).
 */
export type Effect =
  | { kind: "incident-declared"; incident: Incident; createRoom: boolean }
  | { kind: "incident-changed"; incident: Incident }
  /** the title changed (`/incident rename`): rooms named after it follow */
  | { kind: "incident-renamed"; incident: Incident }
  /**
   * File these action items in the issue tracker (src/trackers/exporter.ts): they were marked
   * pending in the command's transaction; the network calls happen after the commit, and their
   * outcome is one line posted in the room the command came from.
   */
  | { kind: "export-actions"; incidentId: number; numbers: number[] }
  /** `/incident update`: post `text` (plain, complete) in the incident's room and the announce channel/room */
  | { kind: "incident-update"; incident: Incident; text: string };

export interface ReplyFile {
  name: string;
  content: string;
  mimeType: string;
}

/**
 * A platform-neutral answer. `text` is plain text (adapters escape it for their format);
 * a line starting with "• " is a list item. `title` is a short bold first line where it helps.
 */
export interface Reply {
  title?: string;
  text: string;
  /** "channel": the whole room sees it; "caller": only the person who typed it (Slack ephemeral) */
  visibility: "channel" | "caller";
  file?: ReplyFile;
  effects?: Effect[];
}

export const reply = {
  channel: (text: string, extra: Partial<Reply> = {}): Reply => ({
    text,
    visibility: "channel",
    ...extra,
  }),
  caller: (text: string, extra: Partial<Reply> = {}): Reply => ({
    text,
    visibility: "caller",
    ...extra,
  }),
};
