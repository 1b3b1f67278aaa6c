import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, closeServer, exitIfHeldOpen, watchSignals } from "../../src/shutdown.ts";
import { openDatabase } from "../../storage/database.ts";
import { killChildren, listeningPort, MAIN, run } from "./child.ts";

const dirs: string[] = [];
afterEach(() => {
  killChildren();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-shutdown-"));
  dirs.push(dir);
  return dir;
}

describe("SIGTERM to a running bot", () => {
  it("finishes, exits 0 and leaves a complete database with no write-ahead log", async () => {
    const dir = temp();
    const db = join(dir, "data", "hindsight.db");
    const bot = run(
      MAIN,
      ["start"],
      { HINDSIGHT_DB: db, HINDSIGHT_HTTP_PORT: "0", HINDSIGHT_HTTP_HOST: "127.0.0.1" },
      dir,
    );
    const port = await listeningPort(bot);
    // stdin stays open: the bot is waiting for more, as it would in production
    bot.process.stdin!.write("/incident start Disk full --sev 2\n");
    bot.process.stdin!.write("/timeline add 10:05 disk at 100%\n");
    bot.process.stdin!.write("messages pile up\n");
    await bot.waitFor("stdout", (text) => text.includes("Added #2"));

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('hindsight_commands_total{command="incident start",outcome="ok"} 1');
    expect(metrics).toContain("hindsight_open_incidents 1");
    expect(existsSync(`${db}-wal`)).toBe(true);

    bot.process.kill("SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.logs().map((l) => l.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^shutting down/), "stopped"]),
    );
    // checkpointed and closed: the database file alone holds everything
    expect(!existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0).toBe(true);
    const copy = new Database(db, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare("SELECT title, severity FROM incidents").all()).toEqual([
        { title: "Disk full", severity: 2 },
      ]);
      expect(copy.prepare("SELECT count(*) AS n FROM timeline_entries").get()).toEqual({ n: 2 });
      expect(copy.prepare("SELECT text FROM messages").all()).toEqual([
        { text: "messages pile up" },
      ]);
    } finally {
      copy.close();
    }
  });

  it("exits 0 at the end of piped input without an ops server left open", async () => {
    const dir = temp();
    const bot = run(
      MAIN,
      ["start"],
      {
        HINDSIGHT_DB: join(dir, "h.db"),
        HINDSIGHT_HTTP_PORT: "0",
        HINDSIGHT_HTTP_HOST: "127.0.0.1",
      },
      dir,
    );
    await listeningPort(bot);
    bot.process.stdin!.end("/incident start Quick one\n");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.stdout()).toContain("Declared INC-1");
  });
});

describe("a second signal", () => {
  it("ends a process whose graceful stop is stuck, at once", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/hangingStop.ts", import.meta.url));
    const stuck = run(fixture, [], {}, temp());
    await stuck.waitFor("stdout", (text) => text.includes("ready"));
    stuck.process.kill("SIGTERM");
    await stuck.waitFor("stdout", (text) => text.includes("stopping"));
    stuck.process.kill("SIGINT");
    // 128 + SIGINT's 2, as a shell reports an interrupted program
    expect(await stuck.exited).toEqual({ code: 130, signal: null });
    expect(stuck.stderr()).toContain("second signal: exiting at once");
  });
});

describe("watchSignals", () => {
  function fakeProcess() {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    return {
      on: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => emitter.on(s, l),
      off: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => emitter.off(s, l),
      exit: (code: number) => {
        exits.push(code);
      },
      send: (s: NodeJS.Signals) => emitter.emit(s, s),
      listeners: () => emitter.listenerCount("SIGTERM") + emitter.listenerCount("SIGINT"),
      exits,
    };
  }

  it("asks for a graceful stop on the first signal and exits only on the second", async () => {
    const fake = fakeProcess();
    const watch = watchSignals(pino({ level: "silent" }), fake);
    fake.send("SIGINT");
    await expect(watch.requested).resolves.toBe("SIGINT");
    expect(fake.exits).toEqual([]);
    fake.send("SIGTERM");
    expect(fake.exits).toEqual([143]);
  });

  it("lets go of the signals when disposed", () => {
    const fake = fakeProcess();
    const watch = watchSignals(pino({ level: "silent" }), fake);
    expect(fake.listeners()).toBe(2);
    watch.dispose();
    expect(fake.listeners()).toBe(0);
  });
});

describe("closeDatabase", () => {
  it("folds the write-ahead log into the file even while another process has it open", () => {
    const file = join(temp(), "h.db");
    const bot = openDatabase(file);
    const cli = new Database(file, { readonly: true }); // say, a `hindsight list` in another shell
    cli.prepare("SELECT count(*) FROM incidents").get();
    bot.prepare("INSERT INTO kv (key, value) VALUES ('k', 'v')").run();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    closeDatabase(bot, pino({ level: "silent" }));
    expect(bot.open).toBe(false);
    // SQLite only checkpoints by itself when the last connection closes; this one was not last
    expect(statSync(`${file}-wal`).size).toBe(0);
    cli.close();
  });
});

describe("closeServer", () => {
  it("closes a connection stalled mid-request once the grace is over", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    client.write("GET / HTTP/1.1\r\nHost: x\r\n"); // the headers never end
    const ended = new Promise((resolve) => client.once("close", resolve));
    await closeServer(server, 20);
    await ended;
    expect(server.listening).toBe(false);
  });
});

describe("exitIfHeldOpen", () => {
  it("exits with the exit code already set, saying what still holds the process", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const exited = new Promise<number | undefined>((resolve) => exitIfHeldOpen(log, 1, resolve));
    expect(await exited).toBeUndefined();
    expect(lines[0]).toMatchObject({ msg: "still held open after stopping; exiting" });
    expect(lines[0]?.holding).toEqual(expect.any(Array));
  });
});
