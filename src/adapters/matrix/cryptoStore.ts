import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { deserialize, serialize } from "node:v8";

/**
 * The Rust crypto keeps its store (the device's identity keys, Olm and Megolm sessions) in
 * IndexedDB, which Node lacks. fake-indexeddb gives it one in memory, and this file makes that
 * durable: the store's databases are written to one file beside the database
 * (`<HINDSIGHT_DB>.crypto`) after every change and read back before the crypto opens. The write
 * is atomic (a temporary file renamed over the old one), so a crash leaves the previous or the
 * new copy, never half of one. Values are written with Node's structured-clone serializer, the
 * same format IndexedDB itself keeps; with MATRIX_CRYPTO_PASSPHRASE the crypto encrypts them
 * before they get here.
 */

interface Req<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenReq extends Req<Db> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface Store {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexNames: ArrayLike<string>;
  index(name: string): { keyPath: string | string[]; unique: boolean; multiEntry: boolean };
  getAll(): Req<unknown[]>;
  getAllKeys(): Req<unknown[]>;
  put(value: unknown, key?: unknown): Req<unknown>;
  createIndex(
    name: string,
    keyPath: string | string[],
    o: { unique: boolean; multiEntry: boolean },
  ): void;
}
interface Db {
  version: number;
  objectStoreNames: ArrayLike<string>;
  transaction(stores: string[], mode: "readonly" | "readwrite"): Tx;
  createObjectStore(
    name: string,
    o: { keyPath?: string | string[] | null; autoIncrement: boolean },
  ): Store;
  close(): void;
}
interface Tx {
  objectStore(name: string): Store;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
}
interface Factory {
  open(name: string, version?: number): OpenReq;
  deleteDatabase(name: string): Req<undefined>;
  databases(): Promise<{ name: string; version: number }[]>;
}

interface DumpedStore {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
  keys: unknown[];
  values: unknown[];
}
interface DumpedDb {
  name: string;
  version: number;
  stores: DumpedStore[];
}
/** what the file holds: whose keys they are, and the databases */
export interface CryptoDump {
  userId: string;
  deviceId: string;
  databases: DumpedDb[];
}

/**
 * Gives the process an IndexedDB (fake-indexeddb's, in memory) if it has none; done when the
 * crypto opens, so a bot without Matrix never gets browser globals.
 */
export async function provideIndexedDb(): Promise<void> {
  if (!("indexedDB" in globalThis)) await import("fake-indexeddb/auto");
}

const idb = () => (globalThis as unknown as { indexedDB: Factory }).indexedDB;

const done = <T>(r: Req<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

const txDone = (tx: Tx) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new Error("IndexedDB transaction failed"));
  });

/** The databases whose names start with `prefix`, read in one transaction each. */
export async function dumpDatabases(prefix: string): Promise<DumpedDb[]> {
  const out: DumpedDb[] = [];
  for (const info of await idb().databases()) {
    if (!info.name.startsWith(prefix)) continue;
    const db = await done(idb().open(info.name));
    try {
      const names = Array.from(db.objectStoreNames);
      const stores: DumpedStore[] = [];
      if (names.length > 0) {
        const tx = db.transaction(names, "readonly");
        for (const name of names) {
          const s = tx.objectStore(name);
          const [keys, values] = await Promise.all([done(s.getAllKeys()), done(s.getAll())]);
          stores.push({
            name,
            keyPath: s.keyPath,
            autoIncrement: s.autoIncrement,
            indexes: Array.from(s.indexNames).map((i) => ({ name: i, ...pick(s.index(i)) })),
            keys,
            values,
          });
        }
      }
      out.push({ name: info.name, version: db.version, stores });
    } finally {
      db.close();
    }
  }
  return out;
}

function pick(i: { keyPath: string | string[]; unique: boolean; multiEntry: boolean }) {
  return { keyPath: i.keyPath, unique: i.unique, multiEntry: i.multiEntry };
}

/** Replaces the databases named in the dump with its contents (schema, indexes, records). */
export async function restoreDatabases(dbs: DumpedDb[]): Promise<void> {
  for (const d of dbs) {
    await done(idb().deleteDatabase(d.name));
    const open = idb().open(d.name, d.version);
    open.onupgradeneeded = () => {
      const db = open.result;
      for (const s of d.stores) {
        const store = db.createObjectStore(s.name, {
          keyPath: s.keyPath,
          autoIncrement: s.autoIncrement,
        });
        for (const i of s.indexes)
          store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    const db = await done(open);
    try {
      const names = d.stores.map((s) => s.name);
      if (names.length === 0) continue;
      const tx = db.transaction(names, "readwrite");
      const finished = txDone(tx);
      for (const s of d.stores) {
        const store = tx.objectStore(s.name);
        // Inline keys live in the values themselves; out-of-line ones are given alongside.
        s.values.forEach((v, n) => {
          store.put(v, s.keyPath === null ? s.keys[n] : undefined);
        });
      }
      await finished;
    } finally {
      db.close();
    }
  }
}

/** Forgets the databases (a fresh start for another device, or between two runs in one process). */
export async function dropDatabases(prefix: string): Promise<void> {
  for (const info of await idb().databases())
    if (info.name.startsWith(prefix)) await done(idb().deleteDatabase(info.name));
}

export function readDump(file: string): CryptoDump | undefined {
  if (!existsSync(file)) return undefined;
  return deserialize(readFileSync(file)) as CryptoDump;
}

/** Atomically: the old copy stays whole until the new one is complete on disk. */
export function writeDump(file: string, dump: CryptoDump): void {
  const temp = `${file}.tmp`;
  // A leftover temp file (or a link planted in its place) is removed, and the new one created
  // exclusively with its mode: the keys are never written into a file someone else can read.
  rmSync(temp, { force: true });
  writeFileSync(temp, serialize(dump), { mode: 0o600, flag: "wx", flush: true });
  renameSync(temp, file);
  // The rename itself made durable: after a power loss the store that comes back is the one
  // whose one-time keys the homeserver has (directories cannot be fsynced on Windows).
  try {
    const dir = openSync(dirname(file), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {}
}
