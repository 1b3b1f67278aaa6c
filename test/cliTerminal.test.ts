import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../src/adapters/console/consoleAdapter.ts";
import { testBot } from "./harness.ts";

/** A keyboard and a screen as readline sees them on a terminal (raw mode, keypress events). */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  let screen = "";
  output.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
  });
  // without readline's cursor movements: what is left is the text a person sees
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
  return { input, output, screen: () => screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "") };
}

/** Lets readline handle the keys written so far; no clock involved. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function session() {
  const { bot, clock, repos } = testBot();
  const terminal = fakeTerminal();
  const adapter = new ConsoleAdapter({
    bot,
    clock,
    log: pino({ level: "silent" }),
    input: terminal.input,
    output: terminal.output,
    interactive: true,
    user: "alice",
  });
  await adapter.start();
  let quit = false;
  void adapter.finished.then(() => {
    quit = true;
  });
  const type = async (keys: string) => {
    terminal.input.write(keys);
    await settle();
    await settle();
  };
  return { adapter, repos, terminal, type, quit: () => quit };
}

describe("the terminal: Ctrl-C as in a shell", () => {
  it("a first Ctrl-C abandons the half-typed line and keeps the session; a second quits", async () => {
    const { repos, terminal, type, quit } = await session();
    await type("/incident start Half typed");
    await type("\x03");
    expect(quit()).toBe(false);
    expect(terminal.screen()).toContain("^C\n(Ctrl-C again or Ctrl-D to quit)\n");
    expect(terminal.screen().endsWith("(Ctrl-C again or Ctrl-D to quit)\nhindsight> ")).toBe(true);
    // the abandoned text is gone: Enter now runs only what is typed next
    await type("/incident start Real one\r");
    expect(repos.incidents.list({ all: true }).map((i) => i.title)).toEqual(["Real one"]);
    // a line in between disarms: one Ctrl-C after it does not quit
    await type("\x03");
    expect(quit()).toBe(false);
    await type("\x03");
    expect(quit()).toBe(true);
  });

  it("Ctrl-D on an empty line quits at once", async () => {
    const { type, quit } = await session();
    await type("\x04");
    expect(quit()).toBe(true);
  });
});

describe("the terminal: start-up", () => {
  it("shows the prompt last, not buried under the pretty settings block", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-tty-"));
    const main = new URL("../src/main.ts", import.meta.url).pathname;
    // util-linux's script(1) gives the bot a real pseudo-terminal: stdin, stdout and stderr.
    const child = spawn("script", ["-qfec", `'${process.execPath}' '${main}' start`, "/dev/null"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HINDSIGHT_DB: join(dir, "h.db"),
        HINDSIGHT_LOG_LEVEL: "info",
        TERM: "dumb",
      },
    });
    let screen = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        screen += chunk.toString();
        if (screen.includes("hindsight> ")) resolve();
      });
    });
    child.stdin.write("\x04");
    expect(await exited).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
    const text = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    expect(text).toMatch(/^Hindsight in the terminal\. /);
    expect(text).not.toContain("starting");
    expect(text).not.toContain("HINDSIGHT_DB");
    expect(text.indexOf("hindsight> ")).toBeGreaterThan(0);
  });
});
