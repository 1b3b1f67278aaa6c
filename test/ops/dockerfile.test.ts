import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBuiltin, stripTypeScriptTypes } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Dockerfile instructions as [KEYWORD, arguments], continuation lines joined. */
function instructions(): [string, string][] {
  return read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return [keyword.toUpperCase(), rest.join(" ")];
    });
}
const args = (keyword: string) =>
  instructions()
    .filter(([k]) => k === keyword)
    .map(([, a]) => a);
/** The file a JSON-form command runs with node: ["node", "src/main.ts"] → src/main.ts */
const script = (json: string) => (JSON.parse(json.replace(/^CMD\s+/, "")) as string[])[1]!;

describe("Dockerfile", () => {
  it("builds every stage on Node 24 on Debian slim", () => {
    const bases = args("FROM").map((a) => a.split(/\s+/)[0]);
    expect(bases.length).toBeGreaterThanOrEqual(2); // multi-stage: no npm cache in the image
    for (const base of bases) expect(base).toMatch(/^node:24-(bookworm|trixie)-slim$/);
  });

  it("copies only paths that exist and that .dockerignore lets through", () => {
    const ignore = read(".dockerignore").split("\n");
    const copies = args("COPY").filter((a) => !a.startsWith("--from"));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
        // the context excludes everything ("*") and lets named paths back in
        expect(ignore, `${source} in the build context`).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^!${source}(/\\*\\*)?$`))]),
        );
      }
    }
  });

  it("installs production dependencies only, from the lockfile", () => {
    expect(args("RUN").some((a) => /npm ci\b.*--omit=dev/.test(a))).toBe(true);
  });

  it("runs as a non-root user with the database on the /data volume", () => {
    const users = args("USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(args("VOLUME")).toContain("/data");
    expect(args("ENV").join(" ")).toMatch(/HINDSIGHT_DB=\/data\//);
  });

  it("starts main.ts and checks health with files that exist", () => {
    const entry = args("ENTRYPOINT").at(-1)!;
    expect(JSON.parse(entry)).toEqual(["node", "src/main.ts"]);
    expect(existsSync(join(ROOT, script(entry)))).toBe(true);
    const health = args("HEALTHCHECK").at(-1)!;
    const command = health.slice(health.indexOf("CMD"));
    expect(existsSync(join(ROOT, script(command)))).toBe(true);
  });
});

/** Every .ts file under a directory, recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Specifiers a file imports at run time: type-only imports are erased first, as Node does. */
function runtimeImports(file: string): string[] {
  const code = stripTypeScriptTypes(read(file));
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s[^"'`;]*?\sfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1]!);
  return [...found];
}

const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the production install", () => {
  const pkg = JSON.parse(read("package.json")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const files = ["src", "commands", "storage"].flatMap(sources);

  it("has every package the image's code imports", () => {
    const missing = new Set<string>();
    let packages = 0;
    for (const file of files) {
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
        packages++;
        const name = packageName(specifier);
        if (!(name in pkg.dependencies)) missing.add(`${name} (imported by ${file})`);
      }
    }
    expect(packages).toBeGreaterThan(10); // the scan found the imports at all
    expect([...missing]).toEqual([]);
  });

  it("runs on the image's Node, not the node@24 development pin", () => {
    expect(pkg.dependencies).not.toHaveProperty("node");
    expect(pkg.devDependencies).toHaveProperty("node");
  });

  it("finds type-only imports erased and runtime ones kept", () => {
    // the scanner itself: a type import of a dev-only package must not count, a value import must
    expect(runtimeImports("src/logging.ts")).toContain("pino");
    // command.ts has `import type { Logger } from "pino"` and only type imports besides
    expect(read("src/core/command.ts")).toMatch(/import type \{ Logger \} from "pino"/);
    expect(runtimeImports("src/core/command.ts")).not.toContain("pino");
  });
});
