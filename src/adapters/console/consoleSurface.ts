import type { Writable } from "node:stream";
import type { ReplyFile } from "../../core/reply.ts";
import type {
  ChatSurface,
  Delivered,
  HistoryPage,
  Inline,
  Message,
  RoomIncident,
} from "../../core/surface.ts";

/** The terminal's rooms: a lobby, and `inc-<n>` per incident. */
export const LOBBY = "lobby";
export const roomOf = (incidentId: number) => `inc-${incidentId}`;

export interface ConsoleSurfaceOptions {
  output: Writable;
  /** the person at the terminal is moved into a room they are invited to, as a client would */
  enter: (room: string) => void;
}

function render(parts: string | readonly Inline[]): string {
  if (typeof parts === "string") return parts;
  return parts
    .map((p) => (typeof p === "string" ? p : "room" in p ? (p.name ?? p.room) : `@${p.user}`))
    .join("");
}

/**
 * The chat surface of a terminal: one reader, so every post is printed, edits are not (a
 * terminal cannot change what it printed), and a room is a name the session moves into.
 */
export function consoleSurface(o: ConsoleSurfaceOptions): ChatSurface {
  let counter = 0;
  const rooms = new Map<string, RoomIncident>();
  const print = (text: string) => o.output.write(`${text}\n`);
  const printFile = (file: ReplyFile) => {
    print(`--- ${file.name} ---`);
    o.output.write(file.content.endsWith("\n") ? file.content : `${file.content}\n`);
    print(`--- end of ${file.name} ---`);
  };
  const surface: ChatSurface = {
    platform: "console",
    label: "the terminal",
    roomNoun: "room",
    idempotentPosts: false,
    async post(_room: string, message: Message) {
      if (message.title) print(message.title);
      print(render(message.text));
      return `console-post-${++counter}`;
    },
    // A terminal cannot change what it printed: the new version is printed below.
    async edit(_room: string, _messageId: string, message: Message) {
      print(`(updated) ${message.title ?? ""}`.trimEnd());
      print(render(message.text));
    },
    async pin() {},
    async upload(_room: string, file: ReplyFile): Promise<Delivered> {
      printFile(file);
      return { ok: true };
    },
    async postText(_room: string, file: ReplyFile): Promise<Delivered> {
      printFile(file);
      return { ok: true };
    },
    async createRoom(spec) {
      const room = roomOf(spec.incident.id);
      rooms.set(room, spec.incident);
      if (spec.invite.length > 0) await surface.invite(room, spec.invite[0]!);
      return room;
    },
    // The terminal's rooms are named by their incident: the marker is not needed to find one.
    async findRoom() {
      return undefined;
    },
    async join() {},
    async invite(room: string) {
      const incident = rooms.get(room);
      o.enter(room);
      const name = incident ? `INC-${incident.id}: ${incident.title}` : room;
      print(`(you are now in the room of ${name}; plain messages are collected)`);
    },
    async setTopic() {},
    async rename(room: string, incident: RoomIncident) {
      rooms.set(room, incident);
      print(`(the room of INC-${incident.id} is now called ${incident.title})`);
    },
    async acknowledge(_room: string, _messageId: string, filed: string) {
      print(`(filed under ${filed})`);
    },
    async announceRoom() {
      return undefined;
    },
    inHistory: () => true,
    // A terminal session has no history before it started.
    async *history(): AsyncIterable<HistoryPage> {},
  };
  return surface;
}
