import { HttpError } from "./matrixFaults.ts";
import type { MatrixWorld } from "./matrixWorld.ts";

type Json = Record<string, unknown>;
interface Device {
  userId: string;
  deviceId: string;
}
interface ToDevice {
  pos: number;
  to: Device;
  type: string;
  sender: string;
  content: Json;
}

/**
 * The end-to-end encryption side of the fake homeserver, as a relay: it stores what clients
 * upload (device keys, one-time and fallback keys) and forwards to-device messages. It never
 * looks inside: the encryption is done by the real Rust crypto on each client.
 */
export class MatrixKeys {
  readonly #world: MatrixWorld;
  /** "user\0device" → signed device keys */
  readonly deviceKeys = new Map<string, Json>();
  readonly #oneTime = new Map<string, Map<string, Json>>();
  readonly #fallback = new Map<string, { id: string; key: Json; used: boolean }>();
  /** every to-device message ever sent, in stream order (a sync since a position gets the rest) */
  readonly toDevice: ToDevice[] = [];
  /** users whose device keys changed, and where in the stream */
  readonly #changes: { userId: string; pos: number }[] = [];
  readonly #txns = new Set<string>();
  /** cross-signing keys per user: master, self_signing, user_signing */
  readonly #crossSigning = new Map<string, Record<string, Json>>();
  /** users whose to-device messages are held back (a slow federation link), and what waits */
  readonly #holding = new Set<string>();
  readonly #held: Omit<ToDevice, "pos">[] = [];

  readonly #password: (userId: string, password: unknown) => boolean;

  /** `password` checks user-interactive auth (replacing cross-signing keys asks for it). */
  constructor(world: MatrixWorld, password: (userId: string, password: unknown) => boolean) {
    this.#world = world;
    this.#password = password;
  }

  /** The keys and to-device endpoints (`rest`: the path after /_matrix/client/v3/). */
  serve(method: string, rest: string[], s: Device, body: Json): Json | undefined {
    const path = `${method} ${rest.join("/")}`;
    if (path === "POST keys/upload") return this.upload(s, body);
    if (path === "POST keys/query") return this.query(s.userId, body);
    if (path === "POST keys/claim") return this.claim(body);
    if (path === "POST keys/device_signing/upload") return this.uploadCrossSigning(s, body);
    if (path === "POST keys/signatures/upload") return this.uploadSignatures(body);
    if (method === "PUT" && rest[0] === "sendToDevice" && rest.length === 3)
      return this.send(s, rest[1]!, rest[2]!, body);
    return undefined;
  }

  upload(s: Device, body: Json): Json {
    const at = `${s.userId}\u0000${s.deviceId}`;
    const keys = body.device_keys as Json | undefined;
    if (keys) {
      if (keys.user_id !== s.userId || keys.device_id !== s.deviceId)
        throw new HttpError(400, "M_INVALID_PARAM", "device_keys are for another device");
      const before = this.deviceKeys.get(at);
      const bare = (k: Json) => JSON.stringify({ ...k, signatures: undefined });
      if (before && bare(before) !== bare(keys))
        throw new HttpError(400, "M_INVALID_PARAM", "device keys may not change");
      if (!before) {
        this.deviceKeys.set(at, keys);
        this.#changes.push({ userId: s.userId, pos: this.#world.tick() });
      }
    }
    const otks = this.#oneTime.get(at) ?? new Map<string, Json>();
    this.#oneTime.set(at, otks);
    for (const [id, key] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) {
      // As Synapse: the same key id uploaded again must be the same key.
      const had = otks.get(id);
      if (had && JSON.stringify(had) !== JSON.stringify(key))
        throw new HttpError(400, "M_INVALID_PARAM", `one-time key ${id} already exists`);
      otks.set(id, key as Json);
    }
    for (const [id, key] of Object.entries((body.fallback_keys as Json | undefined) ?? {}))
      this.#fallback.set(at, { id, key: key as Json, used: false });
    return { one_time_key_counts: this.counts(s) };
  }

  counts(s: Device): Record<string, number> {
    const otks = this.#oneTime.get(`${s.userId}\u0000${s.deviceId}`);
    return { signed_curve25519: otks?.size ?? 0 };
  }

  unusedFallback(s: Device): string[] {
    const f = this.#fallback.get(`${s.userId}\u0000${s.deviceId}`);
    return f && !f.used ? ["signed_curve25519"] : [];
  }

  query(asker: string, body: Json): Json {
    const out: Record<string, Record<string, Json>> = {};
    const wanted = (body.device_keys as Record<string, string[]> | undefined) ?? {};
    for (const [userId, devices] of Object.entries(wanted)) {
      out[userId] = {};
      for (const [at, keys] of this.deviceKeys) {
        const [u, d] = at.split("\u0000") as [string, string];
        if (u === userId && (devices.length === 0 || devices.includes(d))) out[userId][d] = keys;
      }
    }
    const of = (kind: string, users: string[]) =>
      Object.fromEntries(
        users.flatMap((u) => {
          const key = this.#crossSigning.get(u)?.[kind];
          return key ? [[u, key]] : [];
        }),
      );
    const users = Object.keys(wanted);
    return {
      device_keys: out,
      master_keys: of("master_key", users),
      self_signing_keys: of("self_signing_key", users),
      // A user-signing key is shown to its owner only.
      user_signing_keys: of(
        "user_signing_key",
        users.filter((u) => u === asker),
      ),
      failures: {},
    };
  }

  /** POST /keys/device_signing/upload: a user's cross-signing keys (the first time, no UIA, as Synapse). */
  uploadCrossSigning(s: Device, body: Json): Json {
    const had = this.#crossSigning.get(s.userId);
    const auth = body.auth as { password?: unknown } | undefined;
    if (had && !(auth && this.#password(s.userId, auth.password)))
      throw new HttpError(401, "M_FORBIDDEN", "authentication required", {
        flows: [{ stages: ["m.login.password"] }],
        params: {},
        session: this.#world.nextId("uia"),
      });
    const keys: Record<string, Json> = { ...had };
    for (const kind of ["master_key", "self_signing_key", "user_signing_key"])
      if (body[kind]) keys[kind] = body[kind] as Json;
    this.#crossSigning.set(s.userId, keys);
    this.#changes.push({ userId: s.userId, pos: this.#world.tick() });
    return {};
  }

  /** POST /keys/signatures/upload: signatures added to devices or cross-signing keys. */
  uploadSignatures(body: Json): Json {
    for (const [userId, objects] of Object.entries(body as Record<string, Record<string, Json>>)) {
      for (const [id, signed] of Object.entries(objects)) {
        const target =
          this.deviceKeys.get(`${userId}\u0000${id}`) ??
          Object.values(this.#crossSigning.get(userId) ?? {}).find((k) =>
            Object.keys((k.keys as Json | undefined) ?? {}).includes(`ed25519:${id}`),
          );
        if (!target) continue;
        const merged = (target.signatures ?? {}) as Record<string, Json>;
        for (const [by, sigs] of Object.entries((signed.signatures ?? {}) as Record<string, Json>))
          merged[by] = { ...merged[by], ...sigs };
        target.signatures = merged;
      }
      this.#changes.push({ userId, pos: this.#world.tick() });
    }
    return { failures: {} };
  }

  /** One one-time key per asked device, or its fallback key once they run out. */
  claim(body: Json): Json {
    const out: Record<string, Record<string, Json>> = {};
    const wanted = (body.one_time_keys as Record<string, Record<string, string>>) ?? {};
    for (const [userId, devices] of Object.entries(wanted)) {
      for (const deviceId of Object.keys(devices)) {
        const at = `${userId}\u0000${deviceId}`;
        const otks = this.#oneTime.get(at);
        const first = otks?.entries().next().value;
        let claimed: Record<string, Json> | undefined;
        if (first) {
          otks!.delete(first[0]);
          claimed = { [first[0]]: first[1] };
        } else {
          const f = this.#fallback.get(at);
          if (f) {
            f.used = true;
            claimed = { [f.id]: f.key };
          }
        }
        if (claimed) out[userId] = { ...out[userId], [deviceId]: claimed };
      }
    }
    return { one_time_keys: out, failures: {} };
  }

  send(s: Device, type: string, txnId: string, body: Json): Json {
    const txn = `${s.userId}\u0000${s.deviceId}\u0000${txnId}`;
    if (this.#txns.has(txn)) return {};
    this.#txns.add(txn);
    const messages = (body.messages as Record<string, Record<string, Json>>) ?? {};
    for (const [userId, devices] of Object.entries(messages)) {
      for (const [deviceId, content] of Object.entries(devices)) {
        const targets =
          deviceId === "*"
            ? [...this.deviceKeys.keys()]
                .map((at) => at.split("\u0000") as [string, string])
                .filter(([u]) => u === userId)
                .map(([, d]) => d)
            : [deviceId];
        for (const d of targets) {
          const message = { to: { userId, deviceId: d }, type, sender: s.userId, content };
          if (this.#holding.has(userId)) this.#held.push(message);
          else this.toDevice.push({ ...message, pos: this.#world.tick() });
        }
      }
    }
    return {};
  }

  /** From now on to-device messages for `userId` wait until `release` (keys arrive late). */
  hold(userId: string): void {
    this.#holding.add(userId);
  }

  /** Delivers what was held for `userId`, in the order it was sent; how many messages. */
  release(userId: string): number {
    this.#holding.delete(userId);
    const due = this.#held.filter((m) => m.to.userId === userId);
    for (const m of due) {
      this.#held.splice(this.#held.indexOf(m), 1);
      this.toDevice.push({ ...m, pos: this.#world.tick() });
    }
    return due.length;
  }

  /** The to-device messages, device list changes and key counts for one /sync of a device. */
  syncPart(s: Device, since: number | undefined) {
    const from = since ?? 0;
    const events = this.toDevice
      .filter((m) => m.pos >= from && m.to.userId === s.userId && m.to.deviceId === s.deviceId)
      .map((m) => ({ type: m.type, sender: m.sender, content: m.content }));
    const changed = new Set<string>();
    if (since !== undefined) {
      const shared = this.#sharesRoom(s.userId);
      for (const c of this.#changes) if (c.pos >= from && shared(c.userId)) changed.add(c.userId);
      // Someone who newly shares a room with us: their devices are worth a look too.
      for (const room of this.#world.rooms.values()) {
        if (this.#world.membership(room.id, s.userId) !== "join") continue;
        for (const e of room.events)
          if (e.pos >= from && e.type === "m.room.member" && e.content.membership === "join")
            changed.add(e.state_key!);
      }
    }
    return {
      fresh: events.length > 0 || changed.size > 0,
      body: {
        to_device: { events },
        device_lists: { changed: [...changed], left: [] },
        device_one_time_keys_count: this.counts(s),
        device_unused_fallback_key_types: this.unusedFallback(s),
      },
    };
  }

  #sharesRoom(userId: string): (other: string) => boolean {
    const rooms = [...this.#world.rooms.values()].filter((r) =>
      ["join", "invite"].includes(this.#world.membership(r.id, userId) ?? ""),
    );
    return (other) =>
      other === userId ||
      rooms.some((r) => ["join", "invite"].includes(this.#world.membership(r.id, other) ?? ""));
  }
}
