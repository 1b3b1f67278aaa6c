import { randomUUID } from "node:crypto";
import type { Logger } from "pino";

/**
 * What to tell people when something that is not their fault fails. The error is logged with its
 * stack and a short ref; the chat only sees the ref, plus a plain reason where there is one the
 * people in the room can act on (tell the operator the disk is full) — never a stack trace.
 */
export function internalFailure(
  error: unknown,
  log: Logger,
  context: Record<string, unknown>,
  what: string,
): { ref: string; text: string } {
  const ref = randomUUID().slice(0, 8);
  log.error({ err: error, ref, ...context }, what);
  const reason = storageReason(error);
  return {
    ref,
    text: reason
      ? `${reason}: nothing was saved. Please tell whoever runs Hindsight (ref ${ref}).`
      : `Something went wrong (ref ${ref}). Nothing was saved; please try again.`,
  };
}

/** SQLite's result codes (better-sqlite3 puts them on error.code) that mean the disk, not a bug. */
function storageReason(error: unknown): string | undefined {
  const code =
    typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code === "SQLITE_FULL") return "The database is full (disk or size limit reached)";
  if (code.startsWith("SQLITE_READONLY")) return "The database is read-only right now";
  if (code.startsWith("SQLITE_IOERR")) return "The database could not be written (disk error)";
  if (code.startsWith("SQLITE_BUSY")) return "The database is busy";
  if (code === "SQLITE_CANTOPEN") return "The database file cannot be opened";
  return undefined;
}
