import { closeSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";

/** A template is a page of Liquid; anything bigger is a mistake (or /dev/zero). */
export const MAX_TEMPLATE_BYTES = 256 * 1024;

export interface TemplateLookup {
  cwd?: string;
  /**
   * Chat users may only name templates inside this folder: `--template ours` finds
   * `<dir>/ours.md.liquid` or `<dir>/ours.liquid`. Without it (the operator's own setting, the
   * command line) any path is allowed.
   */
  confineTo?: string;
}

/** Reads a template file safely: a regular file, not too big, inside the allowed folder. */
export function readTemplateFile(
  nameOrPath: string,
  lookup: TemplateLookup = {},
): { path: string; source: string } {
  const cwd = lookup.cwd ?? process.cwd();
  const candidates = lookup.confineTo
    ? confinedCandidates(nameOrPath, resolve(cwd, lookup.confineTo))
    : [resolve(cwd, nameOrPath)];
  let lastError: UserError | undefined;
  for (const path of candidates) {
    try {
      const real = realpathSync(path);
      if (lookup.confineTo && !inside(real, realpathSync(resolve(cwd, lookup.confineTo)))) {
        throw new UserError(`templates must be in ${lookup.confineTo}; "${nameOrPath}" is not`);
      }
      return { path, source: readSmallFile(real, path) };
    } catch (error) {
      lastError = toUserError(error, path, nameOrPath);
      if (!(error as NodeJS.ErrnoException).code?.startsWith("ENOENT")) throw lastError;
    }
  }
  throw lastError ?? new UserError(`template "${nameOrPath}" not found`);
}

function confinedCandidates(name: string, dir: string): string[] {
  if (isAbsolute(name) || name.split(/[\\/]/).includes("..")) {
    throw new UserError(
      `name a template in the templates folder (e.g. --template ours), not a path: "${name}"`,
    );
  }
  const base = resolve(dir, name);
  return /\.(liquid|md)$/.test(name) ? [base] : [`${base}.md.liquid`, `${base}.liquid`];
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

function readSmallFile(real: string, shown: string): string {
  const fd = openSync(real, "r");
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`Template path is a directory: ${shown}`);
    if (!stat.isFile()) throw new UserError(`Template ${shown} is not a regular file`);
    if (stat.size > MAX_TEMPLATE_BYTES)
      throw new UserError(
        `Template ${shown} is too big (${stat.size} bytes, at most ${MAX_TEMPLATE_BYTES})`,
      );
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function toUserError(error: unknown, path: string, name: string): UserError {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return new UserError(`Template file not found: ${name === path ? path : `${name} (${path})`}`);
  if (code === "EISDIR") return new UserError(`Template path is a directory: ${path}`);
  return new UserError(`Cannot read template ${path} (${code ?? "unknown error"})`);
}
