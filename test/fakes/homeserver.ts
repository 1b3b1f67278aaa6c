import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Dropped, Faults, HttpError } from "./matrixFaults.ts";
import { MatrixKeys } from "./matrixKeys.ts";
import { messagesFor, somethingNew, syncFor } from "./matrixSync.ts";
import { type InitialState, MatrixWorld, wire } from "./matrixWorld.ts";

type Json = Record<string, unknown>;
interface Session {
  userId: string;
  deviceId: string;
}
interface Ctx {
  method: string;
  parts: string[];
  query: URLSearchParams;
  body: Buffer;
  session: Session | undefined;
  req: IncomingMessage;
  res: ServerResponse;
}
/** A body answered as is (media), not as JSON. */
class Raw {
  readonly type: string;
  readonly body: Buffer;
  constructor(type: string, body: Buffer) {
    this.type = type;
    this.body = body;
  }
}
/** A Matrix event may not exceed 65 536 bytes of JSON; servers answer 413 M_TOO_LARGE. */
const MAX_EVENT_BYTES = 65_536;
/**
 * How long an idle kept-alive connection stays open: Synapse's HTTP layer (Twisted's HTTPChannel)
 * keeps one for a minute, far beyond Node's 5 s default. A client that leaves one behind must not
 * be kept alive by it.
 */
const KEEP_ALIVE_MS = 60_000;

/**
 * A homeserver speaking the Client-Server API over real HTTP on 127.0.0.1, for the real
 * matrix-js-sdk. It serves what the bot uses; anything else is recorded in `unexpected` (tests
 * assert it stays empty) and answered 404 M_UNRECOGNIZED.
 */
export class FakeHomeserver {
  readonly world = new MatrixWorld();
  /** device keys and to-device messages, stored and forwarded (see matrixKeys.ts) */
  readonly keys = new MatrixKeys(
    this.world,
    (userId, password) => this.#users.get(userId)?.password === password,
  );
  readonly unexpected: string[] = [];
  /** every request as "METHOD /path" (no query), to see what the client did */
  readonly requests: string[] = [];
  readonly #users = new Map<string, { password: string }>();
  readonly #tokens = new Map<string, Session>();
  readonly #txns = new Map<string, string>();
  readonly #sinces = new Map<string, number>();
  /** room aliases ("#name:fake.test" → room id), as createRoom's room_alias_name makes them */
  readonly aliases = new Map<string, string>();
  logins = 0;
  /** error answers, rate limits and stalls a test arms */
  readonly faults = new Faults();
  failUploads = false;
  /** as Synapse's encryption_enabled_by_default_for_room_type: every new room is encrypted */
  encryptNewRooms = false;
  #server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    this.#server.keepAliveTimeout = KEEP_ALIVE_MS;
    await new Promise<void>((r) => this.#server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => this.#server?.close(() => r()) ?? r());
  }

  register(userId: string, password = "secret"): string {
    this.#users.set(userId, { password });
    const token = `tok_${this.world.nextId("t")}`;
    this.#tokens.set(token, { userId, deviceId: this.world.nextId("DEV") });
    return token;
  }

  /** Resolves once the user's client asks /sync for what follows position `pos`: it handled everything before. */
  syncedPast(userId: string, pos = this.world.head()): Promise<void> {
    if ((this.#sinces.get(userId) ?? -1) >= pos) return Promise.resolve();
    return new Promise((resolve) => {
      const on = (u: string, since: number) => {
        if (u !== userId || since < pos) return;
        this.world.changed.off("since", on);
        resolve();
      };
      this.world.changed.on("since", on);
    });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const ctx: Ctx = {
      method: req.method ?? "GET",
      parts: url.pathname
        .split("/")
        .filter((p) => p !== "")
        .map(decodeURIComponent),
      query: url.searchParams,
      body: Buffer.concat(chunks),
      session: auth ? this.#tokens.get(auth) : undefined,
      req,
      res,
    };
    this.requests.push(`${ctx.method} ${url.pathname}`);
    try {
      const out = await this.#route(ctx, `${ctx.method} ${url.pathname}`);
      if (out instanceof Raw) res.writeHead(200, { "content-type": out.type }).end(out.body);
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    } catch (error) {
      if (error instanceof Dropped) return;
      // A bug in the fake is a failed test, not a hung request or an unhandled rejection.
      const failure =
        error instanceof HttpError
          ? error
          : new HttpError(500, "M_UNKNOWN", `fake homeserver failed: ${String(error)}`);
      if (!(error instanceof HttpError))
        this.unexpected.push(`${ctx.method} ${url.pathname}: ${String(error)}`);
      if (res.headersSent || res.destroyed) return;
      res
        .writeHead(failure.status, { "content-type": "application/json" })
        .end(JSON.stringify(failure.body));
    }
  }

  #sized(roomId: string, sender: string, e: { type: string; content: Json }): void {
    const bytes = Buffer.byteLength(JSON.stringify({ room_id: roomId, sender, ...e }), "utf8");
    // The envelope a real server adds (ids, hashes, signatures) is left out; it only adds.
    if (bytes > MAX_EVENT_BYTES) throw new HttpError(413, "M_TOO_LARGE", "event too large");
  }

  #user(ctx: Ctx): Session {
    if (!ctx.session) throw new HttpError(401, "M_UNKNOWN_TOKEN", "Invalid access token");
    return ctx.session;
  }

  #json(ctx: Ctx): Json {
    return ctx.body.length > 0 ? (JSON.parse(ctx.body.toString("utf8")) as Json) : {};
  }

  #member(roomId: string, userId: string): void {
    if (!this.world.rooms.has(roomId)) throw new HttpError(404, "M_NOT_FOUND", "no such room");
    if (this.world.membership(roomId, userId) !== "join")
      throw new HttpError(403, "M_FORBIDDEN", "not in the room");
  }

  async #route(ctx: Ctx, line: string): Promise<unknown> {
    const p = ctx.parts;
    const client = p[0] === "_matrix" && p[1] === "client" && p[2] === "v3";
    const rest = client ? p.slice(3) : [];
    const is = (method: string, ...shape: (string | null)[]) =>
      ctx.method === method &&
      rest.length === shape.length &&
      shape.every((s, i) => s === null || s === rest[i]);

    if (line === "GET /_matrix/client/versions")
      return { versions: ["v1.1", "v1.11", "v1.12"], unstable_features: {} };
    if (line === "POST /_matrix/media/v3/upload") return this.#upload(ctx);
    const media =
      /^GET \/_matrix\/(?:client\/v1\/media|media\/v3)\/download\/([^/]+)\/([^/]+)$/.exec(line);
    if (media) return this.#download(ctx, `mxc://${media[1]}/${media[2]}`);
    if (is("POST", "login")) return this.#login(ctx);
    if (is("GET", "login")) return { flows: [{ type: "m.login.password" }] };
    if (is("GET", "account", "whoami")) {
      const s = this.#user(ctx);
      return { user_id: s.userId, device_id: s.deviceId };
    }
    if (is("GET", "pushrules", null) || is("GET", "pushrules")) return { global: {} };
    if (is("GET", "capabilities")) return { capabilities: {} };
    if (is("POST", "user", null, "filter")) return { filter_id: this.world.nextId("f") };
    if (is("GET", "user", null, "filter", null)) return {};
    if (is("GET", "sync")) return this.#sync(ctx);
    // No server-side key backup here, and no MatrixRTC: what Synapse says when there is none.
    if (is("GET", "room_keys", "version"))
      throw new HttpError(404, "M_NOT_FOUND", "No current backup version");
    if (line.startsWith("GET /_matrix/client/unstable/org.matrix.msc4143/"))
      throw new HttpError(404, "M_UNRECOGNIZED", "Unrecognized request");
    if (rest[0] === "keys" || rest[0] === "sendToDevice") {
      const answer = this.keys.serve(ctx.method, rest, this.#user(ctx), this.#json(ctx));
      if (answer) return answer;
    }
    if (is("POST", "createRoom")) {
      this.faults.check("createRoom");
      return this.faults.stallable(ctx.res, "createRoom", () => this.#createRoom(ctx));
    }
    if (is("POST", "join", null) || is("POST", "rooms", null, "join")) {
      const s = this.#user(ctx);
      const roomId = rest[0] === "join" ? rest[1]! : rest[1]!;
      if (this.world.membership(roomId, s.userId) !== "invite")
        throw new HttpError(403, "M_FORBIDDEN", "not invited");
      this.world.join(roomId, s.userId);
      return { room_id: roomId };
    }
    if (is("POST", "rooms", null, "leave")) {
      this.world.leave(rest[1]!, this.#user(ctx).userId);
      return {};
    }
    if (is("POST", "rooms", null, "invite")) {
      const s = this.#user(ctx);
      this.#member(rest[1]!, s.userId);
      const invitee = String(this.#json(ctx).user_id);
      // As the spec: a member or a banned person is not invited (403); as Synapse, inviting
      // someone already invited again is a no-op
      const now = this.world.membership(rest[1]!, invitee);
      if (now === "join")
        throw new HttpError(403, "M_FORBIDDEN", `${invitee} is already in the room.`);
      if (now === "ban")
        throw new HttpError(403, "M_FORBIDDEN", `${invitee} is banned from the room`);
      if (now !== "invite") this.world.invite(rest[1]!, s.userId, invitee);
      return {};
    }
    if (is("PUT", "rooms", null, "send", null, null)) {
      this.faults.check("send");
      const e = { type: rest[3]!, content: this.#json(ctx) };
      return this.faults.stallable(ctx.res, "send", () => this.#send(ctx, rest[1]!, rest[4]!, e));
    }
    if (is("PUT", "rooms", null, "redact", null, null)) {
      const target = rest[3]!;
      return this.#send(ctx, rest[1]!, rest[4]!, {
        type: "m.room.redaction",
        redacts: target,
        content: { ...this.#json(ctx), redacts: target },
      });
    }
    if (is("PUT", "rooms", null, "state", null, null) || is("PUT", "rooms", null, "state", null)) {
      const s = this.#user(ctx);
      this.#member(rest[1]!, s.userId);
      this.faults.check("state");
      const state = { type: rest[3]!, state_key: rest[4] ?? "", content: this.#json(ctx) };
      this.#sized(rest[1]!, s.userId, state);
      return { event_id: this.world.append(rest[1]!, { ...state, sender: s.userId }).event_id };
    }
    if (is("GET", "rooms", null, "state", null, null) || is("GET", "rooms", null, "state", null)) {
      this.#member(rest[1]!, this.#user(ctx).userId);
      const e = this.world.room(rest[1]!).state.get(`${rest[3]}\u0000${rest[4] ?? ""}`);
      if (!e) throw new HttpError(404, "M_NOT_FOUND", "no such state");
      return e.content;
    }
    if (is("GET", "rooms", null, "members")) {
      this.#member(rest[1]!, this.#user(ctx).userId);
      const state = [...this.world.room(rest[1]!).state.values()];
      return { chunk: state.filter((e) => e.type === "m.room.member").map(wire) };
    }
    if (is("GET", "rooms", null, "state")) {
      this.#member(rest[1]!, this.#user(ctx).userId);
      return [...this.world.room(rest[1]!).state.values()].map(wire);
    }
    if (is("GET", "rooms", null, "messages")) {
      this.#member(rest[1]!, this.#user(ctx).userId);
      this.faults.check("messages");
      return messagesFor(this.world.room(rest[1]!), this.world.head(), ctx.query);
    }
    if (is("GET", "directory", "room", null)) {
      const roomId = this.aliases.get(decodeURIComponent(rest[2]!));
      if (!roomId) throw new HttpError(404, "M_NOT_FOUND", "no such alias");
      return { room_id: roomId, servers: ["fake.test"] };
    }

    this.unexpected.push(line);
    throw new HttpError(404, "M_UNRECOGNIZED", `fake homeserver does not serve ${line}`);
  }

  #login(ctx: Ctx): Json {
    const body = this.#json(ctx);
    const identifier = body.identifier as { user?: string } | undefined;
    const userId = identifier?.user ?? "";
    if (this.#users.get(userId)?.password !== body.password)
      throw new HttpError(403, "M_FORBIDDEN", "Invalid username or password");
    this.logins += 1;
    const token = `tok_${this.world.nextId("t")}`;
    const session = { userId, deviceId: this.world.nextId("DEV") };
    this.#tokens.set(token, session);
    return { user_id: userId, access_token: token, device_id: session.deviceId };
  }

  /** Forgets every access token of a user (as if an admin logged the bot out). */
  revokeTokens(userId: string): void {
    for (const [token, s] of this.#tokens) if (s.userId === userId) this.#tokens.delete(token);
  }

  #upload(ctx: Ctx): Json {
    this.#user(ctx);
    this.faults.check("upload");
    if (this.failUploads) throw new HttpError(413, "M_TOO_LARGE", "uploads are switched off");
    const id = this.world.nextId("media");
    this.world.uploads.set(`mxc://fake.test/${id}`, {
      type: String(ctx.req.headers["content-type"]),
      name: ctx.query.get("filename") ?? "",
      body: ctx.body,
    });
    return { content_uri: `mxc://fake.test/${id}` };
  }

  /** Media as uploaded; answered raw, not as JSON (see #serve). */
  #download(ctx: Ctx, mxc: string): Raw {
    this.#user(ctx);
    const media = this.world.uploads.get(mxc);
    if (!media) throw new HttpError(404, "M_NOT_FOUND", "no such media");
    return new Raw(media.type, media.body);
  }

  #send(
    ctx: Ctx,
    roomId: string,
    txnId: string,
    e: { type: string; content: Json; redacts?: string },
  ): Json {
    const s = this.#user(ctx);
    const key = `${s.userId}\u0000${s.deviceId}\u0000${txnId}`;
    const seen = this.#txns.get(key);
    if (seen) return { event_id: seen };
    this.#member(roomId, s.userId);
    this.#sized(roomId, s.userId, e);
    const event = this.world.append(roomId, { ...e, sender: s.userId });
    this.#txns.set(key, event.event_id);
    return { event_id: event.event_id };
  }

  #createRoom(ctx: Ctx): Json {
    const s = this.#user(ctx);
    const body = this.#json(ctx);
    const alias =
      typeof body.room_alias_name === "string" ? `#${body.room_alias_name}:fake.test` : undefined;
    if (alias && this.aliases.has(alias))
      throw new HttpError(400, "M_ROOM_IN_USE", "Room alias already taken");
    const roomId = this.world.createRoom(s.userId, {
      ...(typeof body.name === "string" ? { name: body.name } : {}),
      ...(typeof body.topic === "string" ? { topic: body.topic } : {}),
      ...(typeof body.preset === "string" ? { preset: body.preset } : {}),
      invite: Array.isArray(body.invite) ? body.invite.map(String) : [],
      initialState: [
        ...((Array.isArray(body.initial_state) ? body.initial_state : []) as InitialState[]),
        ...(this.encryptNewRooms &&
        !JSON.stringify(body.initial_state ?? []).includes("m.room.encryption")
          ? [{ type: "m.room.encryption", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
          : []),
      ],
    });
    if (alias) this.aliases.set(alias, roomId);
    return { room_id: roomId };
  }

  async #sync(ctx: Ctx): Promise<Json> {
    const s = this.#user(ctx);
    this.faults.check("sync");
    const sinceRaw = ctx.query.get("since");
    const since = sinceRaw ? Number(sinceRaw.slice(1)) : undefined;
    if (since !== undefined) {
      this.#sinces.set(s.userId, since);
      this.world.changed.emit("since", s.userId, since);
    }
    // A filter is inline JSON (the bot) or the id of one uploaded before (matrix-js-sdk).
    const raw = ctx.query.get("filter") ?? "{}";
    const filter = (raw.startsWith("{") ? JSON.parse(raw) : {}) as {
      room?: { timeline?: { limit?: number } };
    };
    const limit = filter.room?.timeline?.limit ?? 10;
    const timeout = Number(ctx.query.get("timeout") ?? 0);
    const answer = () => {
      const rooms = syncFor(this.world, s.userId, since, limit);
      const keys = this.keys.syncPart(s, since);
      return { empty: rooms.empty && !keys.fresh, body: { ...rooms.body, ...keys.body } };
    };
    let response = answer();
    if (response.empty && timeout > 0 && since !== undefined) {
      await somethingNew(this.world, timeout, ctx.req);
      response = answer();
    }
    return response.body;
  }
}
