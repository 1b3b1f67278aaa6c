import { EventEmitter } from "node:events";

/** An event as the fake homeserver stores it, with its position in the one global stream. */
export interface FakeEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  state_key?: string;
  content: Record<string, unknown>;
  redacts?: string;
  /** for a state event that replaced another: `prev_content`, as servers send it */
  unsigned?: Record<string, unknown>;
  pos: number;
}

/** createRoom's initial_state: state events set right after the room's creation */
export interface InitialState {
  type: string;
  state_key?: string;
  content: Record<string, unknown>;
}

export interface FakeRoom {
  id: string;
  state: Map<string, FakeEvent>;
  events: FakeEvent[];
}

/**
 * The homeserver's data: rooms, memberships and one ordered stream of events. Tokens are stream
 * positions ("p<n>": everything from position n on). Tests act as users directly on this model
 * ("alice sends …") and read what the bot did from it.
 */
export class MatrixWorld {
  readonly rooms = new Map<string, FakeRoom>();
  readonly stream: FakeEvent[] = [];
  readonly changed = new EventEmitter();
  readonly uploads = new Map<string, { type: string; name: string; body: Buffer }>();
  #ids = 0;
  /** the next stream position: room events and to-device messages share one stream */
  #pos = 0;
  /** the server's clock; tests may move it */
  now = Date.parse("2024-05-01T09:00:00Z");

  constructor() {
    this.changed.setMaxListeners(100);
  }

  nextId(prefix: string): string {
    this.#ids += 1;
    return `${prefix}${this.#ids}`;
  }

  head(): number {
    return this.#pos;
  }

  /**
   * Takes the next stream position for something that is not a room event (a to-device message,
   * a device list change) and wakes waiting syncs.
   */
  tick(): number {
    const pos = this.#pos++;
    this.changed.emit("tick", pos);
    return pos;
  }

  room(roomId: string): FakeRoom {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`fake homeserver: no room ${roomId}`);
    return room;
  }

  membership(roomId: string, userId: string): string | undefined {
    const m = this.rooms.get(roomId)?.state.get(`m.room.member\u0000${userId}`);
    return typeof m?.content.membership === "string" ? m.content.membership : undefined;
  }

  append(
    roomId: string,
    e: {
      type: string;
      sender: string;
      content: Record<string, unknown>;
      state_key?: string;
      redacts?: string;
    },
  ): FakeEvent {
    const room = this.room(roomId);
    this.now += 1000;
    const before =
      e.state_key === undefined ? undefined : room.state.get(`${e.type}\u0000${e.state_key}`);
    const event: FakeEvent = {
      ...e,
      event_id: `$${this.nextId("ev")}`,
      room_id: roomId,
      origin_server_ts: this.now,
      ...(before ? { unsigned: { prev_content: before.content } } : {}),
      pos: this.#pos++,
    };
    this.stream.push(event);
    room.events.push(event);
    if (e.state_key !== undefined) room.state.set(`${e.type}\u0000${e.state_key}`, event);
    this.changed.emit("event", event);
    return event;
  }

  createRoom(
    creator: string,
    opts: {
      name?: string;
      topic?: string;
      preset?: string;
      invite?: string[];
      initialState?: InitialState[];
    } = {},
  ): string {
    const id = `!${this.nextId("room")}:fake.test`;
    this.rooms.set(id, { id, state: new Map(), events: [] });
    this.append(id, {
      type: "m.room.create",
      sender: creator,
      state_key: "",
      content: { creator },
    });
    this.append(id, {
      type: "m.room.member",
      sender: creator,
      state_key: creator,
      content: { membership: "join" },
    });
    const rule = opts.preset === "public_chat" ? "public" : "invite";
    this.append(id, {
      type: "m.room.join_rules",
      sender: creator,
      state_key: "",
      content: { join_rule: rule },
    });
    for (const e of opts.initialState ?? [])
      this.append(id, { ...e, sender: creator, state_key: e.state_key ?? "" });
    if (opts.name)
      this.append(id, {
        type: "m.room.name",
        sender: creator,
        state_key: "",
        content: { name: opts.name },
      });
    if (opts.topic)
      this.append(id, {
        type: "m.room.topic",
        sender: creator,
        state_key: "",
        content: { topic: opts.topic },
      });
    for (const user of opts.invite ?? []) this.invite(id, creator, user);
    return id;
  }

  invite(roomId: string, by: string, userId: string): FakeEvent {
    return this.append(roomId, {
      type: "m.room.member",
      sender: by,
      state_key: userId,
      content: { membership: "invite" },
    });
  }

  join(roomId: string, userId: string): FakeEvent {
    return this.append(roomId, {
      type: "m.room.member",
      sender: userId,
      state_key: userId,
      content: { membership: "join", displayname: userId.slice(1, userId.indexOf(":")) },
    });
  }

  leave(roomId: string, userId: string): FakeEvent {
    return this.append(roomId, {
      type: "m.room.member",
      sender: userId,
      state_key: userId,
      content: { membership: "leave" },
    });
  }

  say(
    roomId: string,
    sender: string,
    body: string,
    extra: Record<string, unknown> = {},
  ): FakeEvent {
    return this.append(roomId, {
      type: "m.room.message",
      sender,
      content: { msgtype: "m.text", body, ...extra },
    });
  }

  edit(roomId: string, sender: string, target: string, body: string): FakeEvent {
    return this.append(roomId, {
      type: "m.room.message",
      sender,
      content: {
        msgtype: "m.text",
        body: `* ${body}`,
        "m.new_content": { msgtype: "m.text", body },
        "m.relates_to": { rel_type: "m.replace", event_id: target },
      },
    });
  }

  react(roomId: string, sender: string, target: string, key: string): FakeEvent {
    return this.append(roomId, {
      type: "m.reaction",
      sender,
      content: { "m.relates_to": { rel_type: "m.annotation", event_id: target, key } },
    });
  }

  redact(roomId: string, sender: string, target: string): FakeEvent {
    return this.append(roomId, {
      type: "m.room.redaction",
      sender,
      redacts: target,
      content: { redacts: target },
    });
  }

  /**
   * Delivers an event once more, same id and all, at the end of the stream: what a client sees
   * when a sync or a backfill overlaps what it already had.
   */
  replay(event: FakeEvent): FakeEvent {
    const again = { ...event, pos: this.#pos++ };
    this.stream.push(again);
    this.room(event.room_id).events.push(again);
    this.changed.emit("event", again);
    return again;
  }

  /** Events of a room matching a predicate, oldest first. */
  find(roomId: string, match: (e: FakeEvent) => boolean): FakeEvent[] {
    return this.room(roomId).events.filter(match);
  }

  /** Resolves with the first event (already there or yet to come) that matches. */
  waitFor(match: (e: FakeEvent) => boolean): Promise<FakeEvent> {
    const found = this.stream.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (e: FakeEvent) => {
        if (!match(e)) return;
        this.changed.off("event", on);
        resolve(e);
      };
      this.changed.on("event", on);
    });
  }
}

/** An event as the wire carries it (without the fake's stream position). */
export function wire(e: FakeEvent): Record<string, unknown> {
  const { pos: _pos, ...rest } = e;
  return rest;
}
