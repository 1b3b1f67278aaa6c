import type { KeyValueStore } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Small named values the adapters keep between runs (sync tokens, card ids). */
export function kvRepository(db: Db): KeyValueStore {
  const kvGet = db.prepare<[string], { value: string }>("SELECT value FROM kv WHERE key = ?");
  const kvSet = db.prepare(
    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const kvDelete = db.prepare("DELETE FROM kv WHERE key = ?");
  // A range on the primary key rather than LIKE: LIKE is case-insensitive and treats _ and % as
  // wildcards, and keys hold both.
  const kvRange = db.prepare<[string, string], { key: string; value: string }>(
    "SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key",
  );
  return {
    get: (key) => kvGet.get(key)?.value,
    set(key, value) {
      kvSet.run(key, value);
    },
    delete(key) {
      kvDelete.run(key);
    },
    // U+10FFFF sorts (as UTF-8 bytes, SQLite's BINARY order) after any character a key can hold
    entries: (prefix) => kvRange.all(prefix, `${prefix}\u{10FFFF}`),
  };
}
