/**
 * The npm registry reachable from our build machines serves only the Linux builds of packages
 * that ship one binary package per platform (Biome). `npm install` then leaves the other
 * platforms' optional packages out of package-lock.json, and `npm ci` refuses the lockfile
 * ("Missing: @biomejs/cli-darwin-arm64 from lock file"). This adds those entries back, marked
 * optional with the os/cpu/libc their names state, so `npm ci` skips them on Linux and a machine
 * with the full registry installs its own. Run it after `npm install`: npm run fix-lockfile
 */
import { readFileSync, writeFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  resolved?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  license?: string;
  optionalDependencies?: Record<string, string>;
}

const PLATFORM = /-(android|darwin|linux|win32|freebsd)-(x64|arm64|ia32|arm)(-musl)?$/;
const LOCK = new URL("../package-lock.json", import.meta.url);

export function missingOptionalEntries(
  packages: Record<string, LockEntry>,
): Record<string, LockEntry> {
  const added: Record<string, LockEntry> = {};
  for (const entry of Object.values(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      const platform = PLATFORM.exec(name);
      if (packages[key] || added[key] || !platform) continue;
      const [, os, cpu, musl] = platform;
      const base = name.split("/").at(-1);
      added[key] = {
        version,
        resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
        os: [os!],
        cpu: [cpu!],
        ...(os === "linux" ? { libc: [musl ? "musl" : "glibc"] } : {}),
        ...(entry.license ? { license: entry.license } : {}),
      };
    }
  }
  return added;
}

if (import.meta.main) {
  const lock = JSON.parse(readFileSync(LOCK, "utf8")) as { packages: Record<string, LockEntry> };
  const added = missingOptionalEntries(lock.packages);
  const names = Object.keys(added);
  if (names.length > 0) {
    lock.packages = Object.fromEntries(
      Object.entries({ ...lock.packages, ...added }).sort(([a], [b]) =>
        a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
      ),
    );
    writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
  }
  process.stdout.write(
    names.length > 0
      ? `added ${names.join(", ")}\n`
      : "package-lock.json already lists every platform package\n",
  );
}
