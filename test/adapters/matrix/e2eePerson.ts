import {
  EncryptedAttachment,
  Attachment as WasmAttachment,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import {
  ClientEvent,
  createClient,
  type MatrixClient,
  type MatrixEvent,
  MatrixEventEvent,
  RoomEvent,
  SyncState,
} from "matrix-js-sdk";
import pino from "pino";
import { type E2ee, openE2ee } from "../../../src/adapters/matrix/e2ee.ts";
import { sdkLogger } from "../../../src/adapters/matrix/sdkLogger.ts";
import type { FakeHomeserver } from "../../fakes/homeserver.ts";
import { BOT, type MatrixHarness } from "./matrixHarness.ts";

/**
 * A person on Element, as far as the wire can tell: a real matrix-js-sdk MatrixClient with its
 * Rust crypto (in memory), syncing against the fake homeserver. It encrypts what it sends and
 * decrypts what the bot sends, with no help from the fake.
 */
export async function person(hs: FakeHomeserver, userId: string) {
  const accessToken = hs.register(userId);
  const whoami = (await (
    await fetch(`${hs.url}/_matrix/client/v3/account/whoami`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
  ).json()) as { device_id: string };
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });
  const client: MatrixClient = createClient({
    baseUrl: hs.url,
    accessToken,
    userId,
    deviceId: whoami.device_id,
    logger: sdkLogger(log),
  });
  await client.initRustCrypto({ useIndexedDB: false });
  const ready = new Promise<void>((resolve) => {
    const on = (state: SyncState) => {
      if (state !== SyncState.Prepared && state !== SyncState.Syncing) return;
      client.off(ClientEvent.Sync, on);
      resolve();
    };
    client.on(ClientEvent.Sync, on);
  });
  await client.startClient({ initialSyncLimit: 20 });
  await ready;

  /** Every timeline event of a room as this person's client sees it, decrypted where it could. */
  const seen: MatrixEvent[] = [];
  client.on(RoomEvent.Timeline, (event) => {
    seen.push(event);
  });

  /** Resolves with the first (decrypted) event that matches, seen already or yet to come. */
  async function waitFor(match: (e: MatrixEvent) => boolean): Promise<MatrixEvent> {
    for (;;) {
      for (const e of seen) {
        // Not decrypted yet: judged once it is (MatrixEventEvent.Decrypted wakes us).
        if (e.isEncrypted() && e.getClearContent() === null && !e.isDecryptionFailure()) continue;
        if (match(e)) return e;
      }
      // Something new: a timeline event, or one decrypted late (its key came after it).
      await new Promise<void>((resolve) => {
        const done = () => {
          client.off(RoomEvent.Timeline, done);
          client.off(MatrixEventEvent.Decrypted, done);
          resolve();
        };
        client.on(RoomEvent.Timeline, done);
        client.on(MatrixEventEvent.Decrypted, done);
      });
    }
  }

  return {
    client,
    deviceId: whoami.device_id,
    waitFor,
    /** Joins a room and waits until the client's own sync shows it (and its encryption). */
    async join(roomId: string): Promise<void> {
      await client.joinRoom(roomId);
      await waitFor(
        (e) =>
          e.getRoomId() === roomId &&
          e.getType() === "m.room.member" &&
          e.getStateKey() === userId &&
          e.getContent().membership === "join",
      );
    },
    /** The bytes of an encrypted attachment, fetched and decrypted as Element does. */
    async download(file: { url: string } & Record<string, unknown>): Promise<string> {
      const [server, id] = file.url.slice("mxc://".length).split("/");
      const res = await fetch(`${hs.url}/_matrix/client/v1/media/download/${server}/${id}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const data = new Uint8Array(await res.arrayBuffer());
      const { url: _url, ...info } = file;
      const clear = WasmAttachment.decrypt(new EncryptedAttachment(data, JSON.stringify(info)));
      return Buffer.from(clear).toString("utf8");
    },
    /** Sets up cross-signing and signs this session with it (a session verified by its owner). */
    async crossSign(): Promise<void> {
      await client.getCrypto()!.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
          await makeRequest(null);
        },
      });
    },
    async stop(): Promise<void> {
      client.stopClient();
    },
  };
}

export type Person = Awaited<ReturnType<typeof person>>;

export const MEGOLM = { algorithm: "m.megolm.v1.aes-sha2" };

/** The person's encrypted room "ops" with the bot invited and joined; its id. */
export async function encryptedLobby(h: MatrixHarness, who: Person): Promise<string> {
  const { room_id: lobby } = await who.client.createRoom({
    name: "ops",
    invite: [BOT],
    initial_state: [{ type: "m.room.encryption", state_key: "", content: MEGOLM }],
  });
  await h.world.waitFor(
    (e) => e.room_id === lobby && e.state_key === BOT && e.content.membership === "join",
  );
  return lobby;
}

/** The bot's next encrypted message in a room whose text matches, as the person reads it. */
export const answer = (who: Person, room: string, match: RegExp) =>
  who.waitFor(
    (e) =>
      e.getRoomId() === room &&
      e.getSender() === BOT &&
      e.isEncrypted() &&
      match.test(String(e.getContent().body)),
  );

/**
 * A client that encrypts anything, reactions included, with the same Rust crypto module the bot
 * uses (src/adapters/matrix/e2ee.ts), keys in memory. For what matrix-js-sdk does not send
 * encrypted but Element does.
 */
export async function encryptingClient(h: MatrixHarness, userId: string): Promise<E2ee> {
  const accessToken = h.hs.register(userId);
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });
  const probe = createClient({ baseUrl: h.hs.url, accessToken, logger: sdkLogger(log) });
  const me = await probe.whoami();
  const client = createClient({
    baseUrl: h.hs.url,
    accessToken,
    userId,
    deviceId: me.device_id!,
    logger: sdkLogger(log),
  });
  const kv = new Map<string, string>();
  return openE2ee({
    client,
    userId,
    deviceId: me.device_id!,
    file: undefined,
    passphrase: undefined,
    password: undefined,
    shareWith: "all",
    state: {
      get: (k) => kv.get(k),
      set: (k, v) => void kv.set(k, v),
      delete: (k) => void kv.delete(k),
      entries: (prefix) =>
        [...kv].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => ({ key, value })),
    },
    log,
    retry: { log, signal: new AbortController().signal },
  });
}
