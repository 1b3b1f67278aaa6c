import { readFileSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { type Db, migrate, openDatabase, schemaVersion } from "../storage/database.ts";
import { MIGRATIONS } from "../storage/migrations/index.ts";
import { UserError } from "./errors.ts";

/**
 * The database for the command-line verbs that only read it (`list`, `draft`, `publish`). The
 * file is opened read-only and never written to: no switch to WAL, no migration, no new `-wal` or
 * `-shm` beside it when they cannot be made. So a backup on a read-only mount, a file without
 * write permission, and the live database of a running bot all work. A schema newer than this
 * code is refused in one line; an older backup is brought up to date in a copy in memory.
 */
export function openForReading(file: string, warn: (message: string) => void = () => {}): Db {
  let db: Db;
  try {
    db = openDatabase(file, { readonly: true });
  } catch (error) {
    if (error instanceof UserError) throw error;
    // A WAL database needs its shared-memory file (`-shm`) even to be read, and SQLite cannot
    // create one in a read-only directory: read the whole file into memory instead.
    if (!needsWritableDirectory(error)) throw cannotOpen(file, error);
    db = fromImage(readImage(file), file);
    if (walBytes(file) > 0)
      warn(
        `${file}-wal holds changes not yet in ${file}; they cannot be read from a read-only directory`,
      );
  }
  if (schemaVersion(db) < MIGRATIONS.length) {
    const copy = fromImage(db.serialize(), file);
    db.close();
    migrate(copy);
    return copy;
  }
  return db;
}

function needsWritableDirectory(error: unknown): boolean {
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  return code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN");
}

function readImage(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw cannotOpen(file, error);
  }
}

/** An in-memory database from a file's bytes; it is a copy, so nothing reaches the file. */
function fromImage(image: Buffer, file: string): Db {
  // Bytes 18 and 19 of the header say "WAL" (2) or "rollback journal" (1); an in-memory
  // database cannot be in WAL mode, and SQLite refuses to open such an image as it is.
  if (image.length >= 20) {
    image[18] = 1;
    image[19] = 1;
  }
  let db: Db;
  try {
    db = new Database(image);
    db.pragma("foreign_keys = ON");
    const version = schemaVersion(db);
    if (version > MIGRATIONS.length) {
      db.close();
      throw new UserError(
        `the database is at schema version ${version}, newer than this Hindsight (${MIGRATIONS.length}); upgrade Hindsight or use a backup`,
      );
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw cannotOpen(file, error);
  }
  return db;
}

function cannotOpen(file: string, error: unknown): UserError {
  const reason =
    error instanceof Error && "code" in error && typeof error.code === "string"
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return new UserError(`cannot read the database ${file} (HINDSIGHT_DB): ${reason}`);
}

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
