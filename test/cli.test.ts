import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hindsight-cli-"));

function run(args: string[], env: Record<string, string> = {}, input = "") {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    cwd: dir,
    env: { ...process.env, HINDSIGHT_LOG_LEVEL: "warn", NO_COLOR: "1", ...env },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

describe("hindsight on the command line: operator mistakes get one line and exit 2", () => {
  it("list and draft refuse a database that does not exist instead of creating an empty one", () => {
    const missing = join(dir, "typo", "hindsight.db");
    const listed = run(["list"], { HINDSIGHT_DB: missing });
    expect(listed.status).toBe(2);
    expect(listed.stderr).toBe(
      `hindsight: no database at ${missing} (HINDSIGHT_DB): check the path, or run hindsight start first`,
    );
    expect(run(["draft", "INC-1"], { HINDSIGHT_DB: missing }).status).toBe(2);
    expect(existsSync(join(dir, "typo"))).toBe(false);
  });

  it("refuses extra words", () => {
    const result = run(["list", "everything"]);
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe('hindsight: unexpected "everything"');
  });

  it("says where a draft cannot be written, without a stack trace", () => {
    const db = join(dir, "h.db");
    expect(run(["start"], { HINDSIGHT_DB: db }, "/incident start Downtime\n").status).toBe(0);
    const result = run(["draft", "INC-1", "--out", join(dir, "no", "such", "dir.md")], {
      HINDSIGHT_DB: db,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^hindsight: cannot write .*dir\.md \(ENOENT\); choose another place with --out$/,
    );
  });

  it("checks HINDSIGHT_TEMPLATE at start, not at the first draft in chat", () => {
    const result = run(["start"], {
      HINDSIGHT_DB: join(dir, "t.db"),
      HINDSIGHT_TEMPLATE: "/no/such.liquid",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "hindsight: HINDSIGHT_TEMPLATE: Template file not found: /no/such.liquid",
    );
  });

  it("names the setting when the database cannot be opened", () => {
    const result = run(["start"], { HINDSIGHT_DB: "/etc/hostname/x/h.db" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^hindsight: cannot open the database \/etc\/hostname\/x\/h\.db \(HINDSIGHT_DB\): ENOTDIR/,
    );
    expect(result.stderr).not.toContain("    at ");
  });

  it("in the terminal, every incident gets its own room even with room creation off, and /join moves between them", () => {
    const script = [
      "said in the lobby",
      "/incident start First",
      "impact: first one",
      "/incident start Second",
      "/join INC-1",
      "lesson: back in the first",
      "/join INC-9",
    ].join("\n");
    const result = run(
      ["start"],
      { HINDSIGHT_DB: join(dir, "rooms.db"), HINDSIGHT_CREATE_ROOMS: "false" },
      script,
    );
    // the last line was refused: a piped script says so (see "piped sessions" below)
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n").at(-1)).toBe(
      'hindsight: 1 of 7 lines refused: line 7 "/join INC-9"',
    );
    expect(result.stdout).toContain(
      "(not in an incident's room: start one with /incident start <title>, or /join INC-n)",
    );
    expect(result.stdout).toContain("Declared INC-2: Second.");
    expect(result.stdout).toContain("(you are now in the room of INC-1: First)");
    expect(result.stdout).toContain("(filed under lessons)");
    expect(result.stdout).toContain("error: INC-9 does not exist");
    const draft = run(["draft", "INC-1", "--out", "-"], { HINDSIGHT_DB: join(dir, "rooms.db") });
    expect(draft.stdout).toContain("- back in the first");
    expect(draft.stdout).toContain("first one");
  });
});

/** A loopback port nobody listens on: a connection there is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("first start", () => {
  it("cp .env.example .env && npm start runs in the terminal, with no chat platform on", () => {
    const fresh = mkdtempSync(join(tmpdir(), "hindsight-fresh-"));
    copyFileSync(new URL("../.env.example", import.meta.url), join(fresh, ".env"));
    const result = spawnSync(process.execPath, [MAIN, "start"], {
      input: "/incident start First try\n",
      cwd: fresh,
      // nothing but the example: it opens no port (8080 may be taken on this machine)
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HINDSIGHT_LOG_LEVEL: "warn",
      },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Declared INC-1: First try.");
    expect(existsSync(join(fresh, "data", "hindsight.db"))).toBe(true);
  });

  it("a Matrix homeserver that cannot be reached stops the start in one line naming host and cause", async () => {
    const port = await closedPort();
    const db = join(dir, "unreachable.db");
    const result = run(["start"], {
      HINDSIGHT_DB: db,
      MATRIX_HOMESERVER_URL: `http://127.0.0.1:${port}`,
      MATRIX_ACCESS_TOKEN: "syt_fake",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `hindsight: cannot reach Matrix at 127.0.0.1:${port} (MATRIX_HOMESERVER_URL): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(existsSync(db)).toBe(false);
  });

  it("so does a Slack Web API that cannot be reached", async () => {
    const port = await closedPort();
    const result = run(["start"], {
      HINDSIGHT_DB: join(dir, "unreachable.db"),
      SLACK_BOT_TOKEN: "xoxb-1-2-fake",
      SLACK_SIGNING_SECRET: "fake-secret",
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      PORT: "0",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `hindsight: cannot reach Slack at 127.0.0.1:${port} (SLACK_API_URL): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

describe("piped sessions can be checked by their exit code", () => {
  it("exit 0 when every line succeeded", () => {
    const script = "/incident start Fine\n\n/timeline add -5m all good\nimpact: none\n";
    const result = run(["start"], { HINDSIGHT_DB: join(dir, "piped-ok.db") }, script);
    expect(result).toMatchObject({ status: 0, stderr: "" });
  });

  it("exit 1 when any line was refused, the last line on stderr naming them by number", () => {
    const long = `/timeline add 99:99 ${"x".repeat(80)}`;
    const script = [
      "/incident start Broken",
      "/incident sev 9",
      "",
      "/incident strat Other",
      long,
      "/timeline add -5m this one works",
    ].join("\n");
    const result = run(["start"], { HINDSIGHT_DB: join(dir, "piped-refused.db") }, script);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("this one works");
    const last = result.stderr.split("\n").at(-1);
    expect(last).toBe(
      `hindsight: 3 of 6 lines refused: line 2 "/incident sev 9", line 4 "/incident strat Other", line 5 "${long.slice(0, 39)}…"`,
    );
  });

  it("lists at most ten refused lines and counts the rest", () => {
    const script = Array.from({ length: 12 }, (_, i) => `/timeline add ${i}`).join("\n");
    const result = run(["start"], { HINDSIGHT_DB: join(dir, "piped-many.db") }, script);
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n").at(-1)).toMatch(
      /^hindsight: 12 of 12 lines refused: line 1 "\/timeline add 0", .*line 10 "\/timeline add 9", and 2 more$/,
    );
  });
});

describe("--template and HINDSIGHT_TEMPLATE: a name is looked up in the templates folder, a path is a path", () => {
  const db = join(dir, "templates.db");
  beforeAll(() => {
    expect(run(["start"], { HINDSIGHT_DB: db }, "/incident start Downtime\n").status).toBe(0);
    mkdirSync(join(dir, "templates"), { recursive: true });
    writeFileSync(join(dir, "templates", "ours.md.liquid"), "ours: {{ incident.ref }}\n");
    writeFileSync(join(dir, "ours"), "the file ./ours, not the template\n");
    writeFileSync(join(dir, "mine.liquid"), "mine: {{ incident.title }}\n");
  });
  const draft = (template: string) =>
    run(["draft", "INC-1", "--out", "-", "--template", template], { HINDSIGHT_DB: db });

  it("finds a name in the templates folder, not in the working directory", () => {
    expect(draft("ours").stdout).toBe("ours: INC-1\n");
    expect(draft("default").stdout).toContain("## Timeline (times in UTC)");
  });

  it("reads a path (with a / or ending in .md or .liquid) from the working directory", () => {
    expect(draft("./mine.liquid").stdout).toBe("mine: Downtime\n");
    expect(draft("mine.liquid").stdout).toBe("mine: Downtime\n");
  });

  it("refuses an unknown name in one line listing the templates there are", () => {
    const unknown = draft("theirs");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'hindsight: no template named "theirs" in ./templates (HINDSIGHT_TEMPLATES_DIR); available: default, ours',
    );
  });

  it("HINDSIGHT_TEMPLATE follows the same rule, checked at start", () => {
    const started = run(
      ["start"],
      { HINDSIGHT_DB: db, HINDSIGHT_TEMPLATE: "ours" },
      "/join INC-1\n/postmortem draft\n",
    );
    expect(started.status).toBe(0);
    expect(started.stdout).toContain("ours: INC-1");
    expect(run(["start"], { HINDSIGHT_DB: db, HINDSIGHT_TEMPLATE: "theirs" }).stderr).toBe(
      'hindsight: HINDSIGHT_TEMPLATE: no template named "theirs" in ./templates (HINDSIGHT_TEMPLATES_DIR); available: default, ours',
    );
  });
});
