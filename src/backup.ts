import { copyFileSync, existsSync, realpathSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import { openDatabase } from "../storage/database.ts";
import { UserError } from "./errors.ts";

export interface BackupResult {
  file: string;
  pages: number;
  /** the copy of the Matrix crypto store (`<db>.crypto` → `<file>.crypto`), when there is one */
  crypto?: string;
}

/**
 * The Matrix end-to-end encryption keys live beside the database (src/adapters/matrix/e2ee.ts);
 * without them a restored bot is a device nobody has shared keys with. The bot replaces that
 * file by renaming a complete new one over it, so a plain copy reads one whole version.
 */
function backupCrypto(source: string, target: string): string | undefined {
  const from = `${source}.crypto`;
  if (!existsSync(from)) return undefined;
  const to = `${target}.crypto`;
  copyFileSync(from, `${to}.tmp`);
  renameSync(`${to}.tmp`, to);
  return to;
}

/**
 * A consistent copy of a live database through SQLite's online backup API. The copy is taken in
 * one step, inside one read transaction: in WAL mode that never blocks the running bot's writes,
 * and no write made during the copy can restart it (as it would between small steps).
 */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new UserError(`there is no database at ${source}`);
  if (existsSync(target) && realpathSync(target) === realpathSync(source))
    throw new UserError(`${target} is the live database itself; name another file`);
  const db = openDatabase(source, { readonly: true });
  try {
    const { totalPages } = await db.backup(resolve(target), {
      // better-sqlite3 starts with a zero-page step; this makes the next step copy everything.
      progress: () => 0x7fffffff,
    });
    const crypto = backupCrypto(source, target);
    return { file: target, pages: totalPages, ...(crypto ? { crypto } : {}) };
  } catch (error) {
    if (error instanceof TypeError && /directory does not exist/.test(error.message))
      throw new UserError(`cannot write ${target}: its directory does not exist`);
    // SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_FULL…: the operator's to fix, not a bug
    if (error instanceof Error && "code" in error && /^SQLITE_/.test(String(error.code)))
      throw new UserError(`cannot write ${target}: ${error.message}`);
    throw error;
  } finally {
    db.close();
  }
}
