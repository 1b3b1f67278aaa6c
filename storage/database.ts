import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../src/errors.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export type Db = Database.Database;

export interface OpenOptions {
  /** how long a writer waits for a lock held by another connection (ms) */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the one database handle: WAL so readers never block the writer,
 * foreign keys on, a busy timeout so a concurrent backup or CLI call waits instead of failing.
 * Applies pending migrations in one transaction; refuses a database newer than this code.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ":memory:" && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      // NORMAL is durable in WAL mode against process crashes (kill -9): a committed transaction
      // is in the WAL file before COMMIT returns; only an OS crash could lose the last ones.
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    if (!options.readonly) migrate(db);
    else checkVersion(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function checkVersion(db: Db): number {
  const version = schemaVersion(db);
  if (version > MIGRATIONS.length) {
    throw new UserError(
      `the database is at schema version ${version}, newer than this Hindsight (${MIGRATIONS.length}); upgrade Hindsight or use a backup`,
    );
  }
  return version;
}

export function migrate(db: Db): void {
  const apply = db.transaction(() => {
    const version = checkVersion(db);
    for (let next = version; next < MIGRATIONS.length; next++) {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }
  });
  // IMMEDIATE takes the write lock first, so two processes starting together cannot both migrate.
  apply.immediate();
}
