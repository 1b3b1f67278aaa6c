import type { KeyValue } from "../../core/bot.ts";
import type { Mode } from "../../core/incoming.ts";
import type { Logger } from "../../logging.ts";
import type { E2ee, Undecryptable } from "./e2ee.ts";
import type { Outbox } from "./outbox.ts";
import { renderNotice } from "./render.ts";
import type { RawEvent } from "./wire.ts";

/** in the bot's Matrix key/value store: the events waiting for their keys, oldest first */
const PENDING = "e2ee:undecryptable";
const NOTICE = "e2ee:undecryptable-notice:";
/**
 * A room key that never comes must not make the list grow without end, and a member sending
 * junk must not make every event cost megabytes of work: at most this many, and this many
 * bytes, in all (the oldest go first), and at most PER_ROOM from one room.
 */
const MOST = 500;
const MOST_BYTES = 2 * 1024 * 1024;
const PER_ROOM = 100;

export interface Pending {
  roomId: string;
  event: RawEvent;
  mode: Mode;
  reason: string;
}

/**
 * Encrypted events we could not read: their room key was never shared with the bot's device, or
 * has not arrived yet. Each is recorded (kept in the database, logged without its ciphertext) and
 * tried again whenever new room keys come in; the room is told once what to do about it.
 */
export function undecryptables(o: { state: KeyValue; e2ee: E2ee; outbox: Outbox; log: Logger }) {
  const read = (): Pending[] => {
    try {
      return JSON.parse(o.state.get(PENDING) ?? "[]") as Pending[];
    } catch {
      return [];
    }
  };
  const write = (list: Pending[]) => {
    let kept = list.slice(-MOST);
    let text = JSON.stringify(kept);
    while (text.length > MOST_BYTES && kept.length > 0) {
      kept = kept.slice(Math.ceil(kept.length / 10));
      text = JSON.stringify(kept);
    }
    if (kept.length < list.length)
      o.log.warn(
        { dropped: list.length - kept.length },
        "gave up waiting for the keys of old undecryptable messages",
      );
    o.state.set(PENDING, text);
  };

  return {
    pending: read,

    async record(roomId: string, event: RawEvent, mode: Mode, why: Undecryptable): Promise<void> {
      const list = read();
      if (!list.some((p) => p.event.event_id === event.event_id)) {
        const here = list.filter((p) => p.roomId === roomId);
        const over = here.length >= PER_ROOM ? here[0] : undefined;
        const rest = over ? list.filter((p) => p !== over) : list;
        write([...rest, { roomId, event, mode, reason: why.undecryptable }]);
        o.log.warn(
          { roomId, eventId: event.event_id, sender: event.sender, reason: why.undecryptable },
          "cannot decrypt a message yet: its room key was not shared with this device",
        );
      }
      const said = `${NOTICE}${roomId}`;
      if (o.state.get(said)) return;
      o.state.set(said, "1");
      await o.outbox.notice(
        roomId,
        renderNotice({
          text:
            `Hindsight could not decrypt a message here: its key was not shared with the bot's device (${o.e2ee.deviceId}). ` +
            'It will be read as soon as the key arrives. If it stays unreadable, the sender\'s client probably sends keys only to verified sessions, which leaves the bot out: in Element turn off "Never send encrypted messages to unverified sessions" for this room (Room settings, Security & Privacy). Messages sent before the bot joined cannot be read.',
          visibility: "channel",
        }),
        `hindsight-undecryptable-${roomId}`,
      );
    },

    /** Tries every waiting event again; each one that opens is handed to `route`, oldest first. */
    async retry(route: (roomId: string, event: RawEvent, mode: Mode) => Promise<void>) {
      const list = read();
      const still: Pending[] = [];
      for (const p of list) {
        const clear = await o.e2ee.open(p.roomId, p.event);
        if ("undecryptable" in clear) still.push(p);
        else {
          o.log.info({ roomId: p.roomId, eventId: p.event.event_id }, "decrypted a late message");
          await route(p.roomId, p.event, p.mode);
        }
      }
      if (still.length !== list.length) write(still);
    },
  };
}

export type Undecryptables = ReturnType<typeof undecryptables>;
