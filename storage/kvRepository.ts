import type { KeyValueStore } from "../src/incidents/stores.ts";
import type { Db } from "./database.ts";

/** Small named values the adapters keep between runs (sync tokens, card ids). */
export function kvRepository(db: Db): KeyValueStore {
  const kvGet = db.prepare<[string], { value: string }>("SELECT value FROM kv WHERE key = ?");
  const kvSet = db.prepare(
    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const kvDelete = db.prepare("DELETE FROM kv WHERE key = ?");
  return {
    get: (key) => kvGet.get(key)?.value,
    set(key, value) {
      kvSet.run(key, value);
    },
    delete(key) {
      kvDelete.run(key);
    },
  };
}
