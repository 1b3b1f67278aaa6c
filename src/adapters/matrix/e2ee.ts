import { createHash } from "node:crypto";
import { renameSync } from "node:fs";
import {
  Attachment,
  CollectStrategy,
  DecryptionSettings,
  DeviceId,
  DeviceLists,
  EncryptionAlgorithm,
  EncryptionSettings,
  initAsync,
  MegolmDecryptionError,
  OlmMachine,
  RoomId,
  RoomSettings,
  TrustRequirement,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import type { MatrixClient } from "matrix-js-sdk";
import type { KeyValue } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import { ensureCrossSigning } from "./crossSigning.ts";
import { cryptoSender } from "./cryptoRequests.ts";
import {
  dropDatabases,
  dumpDatabases,
  provideIndexedDb,
  readDump,
  restoreDatabases,
  writeDump,
} from "./cryptoStore.ts";
import { describe, type RetryOptions } from "./retry.ts";
import { roomAudience } from "./roomAudience.ts";
import { type E2eeSync, obj, type RawEvent, str } from "./wire.ts";

export const MEGOLM = "m.megolm.v1.aes-sha2";

let opened = 0;
const hashOf = (file: string) => createHash("sha256").update(file).digest("hex").slice(0, 16);

export interface E2eeOptions {
  client: MatrixClient;
  userId: string;
  deviceId: string;
  /** `<HINDSIGHT_DB>.crypto`; undefined keeps the keys in memory only (an in-memory database) */
  file: string | undefined;
  passphrase: string | undefined;
  /** MATRIX_PASSWORD, when set: confirms replacing cross-signing keys (crossSigning.ts) */
  password: string | undefined;
  /**
   * MATRIX_SHARE_KEYS_WITH: "all" devices (as Element does by default), or only "signed" ones:
   * devices their owner has signed with a cross-signing identity (a verified session).
   */
  shareWith: "all" | "signed";
  state: KeyValue;
  log: Logger;
  retry: RetryOptions;
}

/** An encrypted event we hold no key for (yet); `reason` is the crypto's, without secrets. */
export interface Undecryptable {
  undecryptable: string;
  sessionId: string | undefined;
}

/** An attachment's `file` field (EncryptedFile): the key and hashes to read the ciphertext. */
export type EncryptedFile = Record<string, unknown> & { url: string };

/**
 * End-to-end encryption for the adapter, over the Rust crypto (the wasm OlmMachine that
 * matrix-js-sdk's initRustCrypto wraps). We drive /sync ourselves (syncLoop.ts), so the machine
 * is fed explicitly: each batch's to-device messages, device list changes and key counts go in,
 * and what it wants sent (key uploads and queries, one-time key claims, room keys to devices) goes
 * out through the adapter's HTTP layer. One operation runs at a time; after each one that changed
 * keys the store is saved (cryptoStore.ts), before the sync position moves on.
 */
export async function openE2ee(o: E2eeOptions) {
  await Promise.all([initAsync(), provideIndexedDb()]);
  // A fresh name for each opening: a second bot in the same process (tests) never shares one.
  opened += 1;
  const prefix = o.file ? `hindsight-${opened}-${hashOf(o.file)}` : undefined;
  if (o.file && prefix) {
    const file = o.file;
    const dump = (() => {
      try {
        return readDump(file);
      } catch (error) {
        throw new Error(`cannot read the crypto store ${file} (${describe(error)})`);
      }
    })();
    if (dump && (dump.userId !== o.userId || dump.deviceId !== o.deviceId)) {
      // A new login is a new device with new keys; the old ones stay on disk, never overwritten.
      const aside = `${o.file}.${dump.deviceId}`;
      renameSync(o.file, aside);
      o.log.warn(
        { deviceId: o.deviceId, previous: dump.deviceId, keptAt: aside },
        "the crypto store belongs to another Matrix device; starting a new one",
      );
    } else if (dump)
      await restoreDatabases(
        dump.databases.map((d) => ({ ...d, name: `${prefix}::${d.name.split("::").at(-1)}` })),
      );
  }
  const machine = await OlmMachine.initialize(
    new UserId(o.userId),
    new DeviceId(o.deviceId),
    prefix,
    o.passphrase,
  ).catch((error: unknown) => {
    throw new Error(
      `cannot open the crypto store${o.file ? ` ${o.file}` : ""} (${describe(error)}); a wrong MATRIX_CRYPTO_PASSPHRASE?`,
    );
  });
  const sender = cryptoSender(o.client, machine, o.retry);
  const audience = roomAudience(o.client, o.retry);
  let freshKeys = 0;
  await machine.registerRoomKeyUpdatedCallback(async (infos) => {
    freshKeys += infos.length;
  });
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };
  let closed = false;
  const save = async () => {
    if (!o.file || !prefix || closed) return;
    const databases = await dumpDatabases(`${prefix}::`);
    writeDump(o.file, { userId: o.userId, deviceId: o.deviceId, databases });
  };
  const roomKey = (roomId: string) => `e2ee:room:${roomId}`;
  const ids = (users: Iterable<string>) => [...users].map((u) => new UserId(u));

  async function settings(roomId: string): Promise<void> {
    const s = new RoomSettings();
    s.algorithm = EncryptionAlgorithm.MegolmV1AesSha2;
    await machine.setRoomSettings(new RoomId(roomId), s);
  }

  await sender.drain();
  await ensureCrossSigning({ ...o, machine, send: sender.send });
  await save();
  o.log.info(
    { deviceId: o.deviceId, persistent: o.file !== undefined },
    "Matrix end-to-end encryption ready",
  );

  return {
    deviceId: o.deviceId,
    /** true once the room has said (m.room.encryption) that it is encrypted */
    isEncrypted: (roomId: string) => o.state.get(roomKey(roomId)) !== undefined,

    /** A batch's to-device part; true when room keys arrived (pending events may now open). */
    onSync: (sync: E2eeSync) =>
      locked(async () => {
        const before = freshKeys;
        const lists = new DeviceLists(
          ids(sync.device_lists?.changed ?? []),
          ids(sync.device_lists?.left ?? []),
        );
        const counts = new Map(Object.entries(sync.device_one_time_keys_count ?? {}));
        const fallback = sync.device_unused_fallback_key_types
          ? new Set(sync.device_unused_fallback_key_types)
          : undefined;
        const toDevice = sync.to_device?.events ?? [];
        await machine.receiveSyncChanges(JSON.stringify(toDevice), lists, counts, fallback);
        const uploaded = await sender.drain();
        if (toDevice.length > 0 || uploaded || freshKeys > before || !lists.isEmpty()) await save();
        return freshKeys > before;
      }),

    /** Learns a room's encryption and members from its state (in sync, timeline or history). */
    async noteState(roomId: string, event: RawEvent): Promise<void> {
      if (event.state_key === undefined) return;
      if (event.type === "m.room.encryption") {
        if (str(event.content.algorithm) !== MEGOLM) return;
        o.state.set(roomKey(roomId), JSON.stringify({ algorithm: MEGOLM }));
        await locked(() => settings(roomId));
      } else audience.note(roomId, event);
    },

    /** The clear event of an m.room.encrypted one, or why it cannot be read (yet). */
    async open(roomId: string, event: RawEvent): Promise<RawEvent | Undecryptable> {
      try {
        const clear = await machine.decryptRoomEvent(
          JSON.stringify({ ...event, room_id: roomId }),
          new RoomId(roomId),
          new DecryptionSettings(TrustRequirement.Untrusted),
        );
        const inner = JSON.parse(clear.event) as { type: string; content: Record<string, unknown> };
        // Relations travel outside the ciphertext (so servers can aggregate them).
        const relation = obj(event.content["m.relates_to"]);
        const content =
          relation && !inner.content["m.relates_to"]
            ? { ...inner.content, "m.relates_to": relation }
            : inner.content;
        return { ...event, type: inner.type, content };
      } catch (error) {
        // The crypto's decryption errors are not Error objects; their description says why.
        const why = error instanceof MegolmDecryptionError ? error.description : describe(error);
        return { undecryptable: why, sessionId: str(event.content.session_id) };
      }
    },

    /**
     * `content` encrypted for the room (its members' devices, roomAudience.ts); the room key is
     * shared with those devices first, as Element does.
     */
    seal: (roomId: string, type: string, content: Record<string, unknown>) =>
      locked(async () => {
        const { users: members, visibility } = await audience.of(roomId);
        const users = new Set([...members, o.userId]);
        await machine.updateTrackedUsers(ids(users));
        await sender.drain();
        const claim = await machine.getMissingSessions(ids(users));
        if (claim) await sender.send(claim);
        const share = new EncryptionSettings();
        share.historyVisibility = visibility;
        share.sharingStrategy =
          o.shareWith === "signed"
            ? CollectStrategy.identityBasedStrategy()
            : CollectStrategy.allDevices();
        for (const r of await machine.shareRoomKey(new RoomId(roomId), ids(users), share))
          await sender.send(r);
        const sealed = await machine.encryptRoomEvent(
          new RoomId(roomId),
          type,
          JSON.stringify(content),
        );
        await save();
        return JSON.parse(sealed) as Record<string, unknown>;
      }),

    /** Bytes encrypted for an attachment: upload `data`, then send `file` with the upload's url. */
    encryptFile(bytes: Uint8Array): { data: Uint8Array; file: (url: string) => EncryptedFile } {
      const sealed = Attachment.encrypt(bytes);
      const info = JSON.parse(sealed.mediaEncryptionInfo ?? "{}") as Record<string, unknown>;
      return { data: sealed.encryptedData, file: (url) => ({ ...info, url }) };
    },

    /** Saves the store one last time and lets go of the machine. */
    close: () =>
      locked(async () => {
        if (closed) return;
        await save();
        closed = true;
        machine.close();
        // The copy in memory is not needed once the file has it; a blocked delete is harmless.
        if (prefix) void dropDatabases(`${prefix}::`).catch(() => {});
      }),
  };
}

export type E2ee = Awaited<ReturnType<typeof openE2ee>>;
