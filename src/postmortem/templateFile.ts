import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";

/** A template is a page of Liquid; anything bigger is a mistake (or /dev/zero). */
export const MAX_TEMPLATE_BYTES = 256 * 1024;

export interface TemplateLookup {
  cwd?: string;
  /**
   * Where a template *name* is looked up (`ours` finds `<dir>/ours.md.liquid` or
   * `<dir>/ours.liquid`): the templates folder, HINDSIGHT_TEMPLATES_DIR. Anything with a `/` or
   * ending in `.md` or `.liquid` is a path instead (the operator's setting, the command line).
   */
  templatesDir?: string;
  /**
   * Chat users may only name templates inside this folder, never a path elsewhere on the
   * server, and no message shows them where that folder is.
   */
  confineTo?: string;
}

/** A path names a file; anything else is a template's name in the templates folder. */
export function isTemplatePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || /\.(md|liquid)$/.test(nameOrPath);
}

/**
 * Reads a template file safely: a regular file, not too big, inside the allowed folder. The
 * `path` returned is the one to show in messages (in chat, the name as typed).
 */
export function readTemplateFile(
  nameOrPath: string,
  lookup: TemplateLookup = {},
): { path: string; source: string } {
  const cwd = lookup.cwd ?? process.cwd();
  const folder = lookup.confineTo ?? lookup.templatesDir ?? "./templates";
  const byName = lookup.confineTo !== undefined || !isTemplatePath(nameOrPath);
  const candidates = lookup.confineTo
    ? confinedCandidates(nameOrPath, resolve(cwd, lookup.confineTo))
    : byName
      ? namedCandidates(nameOrPath, resolve(cwd, folder))
      : [resolve(cwd, nameOrPath)];
  // In chat, messages name the template as typed: the server's paths are none of the caller's business.
  const shown = (path: string) => (lookup.confineTo ? nameOrPath : path);
  let lastError: UserError | undefined;
  for (const path of candidates) {
    try {
      const real = realpathSync(path);
      if (lookup.confineTo && !inside(real, realpathSync(resolve(cwd, lookup.confineTo)))) {
        throw new UserError(`templates must be in the templates folder; "${nameOrPath}" is not`);
      }
      return { path: shown(path), source: readSmallFile(real, shown(path)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw toUserError(error, shown(path), nameOrPath);
      lastError = toUserError(error, path, nameOrPath);
    }
  }
  if (byName) {
    const available = ["default", ...templateNames(resolve(cwd, folder))].join(", ");
    const where = lookup.confineTo ? "" : ` in ${folder} (HINDSIGHT_TEMPLATES_DIR)`;
    throw new UserError(`no template named "${nameOrPath}"${where}; available: ${available}`);
  }
  throw lastError ?? new UserError(`template "${nameOrPath}" not found`);
}

/** The names a folder offers (`ours` for `ours.md.liquid`), for "available: …" in a refusal. */
export function templateNames(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const names = files
    .filter((file) => file.endsWith(".liquid"))
    .map((file) => file.replace(/(\.md)?\.liquid$/, ""))
    .filter((name) => name !== "" && name !== "default");
  return [...new Set(names)].sort();
}

function namedCandidates(name: string, dir: string): string[] {
  const base = resolve(dir, name);
  return [`${base}.md.liquid`, `${base}.liquid`];
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
