import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchApp, mb, median, type Row, round, tempDir, timeMedian } from "./lib.ts";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = 5;
/** The least a Node process that answers one line on stdin can do: the baseline. */
const BARE = `require("node:readline").createInterface({ input: process.stdin })
  .once("line", () => process.stdout.write("ok\\n"));`;

interface Start {
  readyMs: number;
  idleRss: number;
}

/**
 * Time from spawn until the first reply, which is start-up plus one trivial command; the bot
 * reads commands only once it is ready. Then the resident memory while it idles.
 */
function startOnce(args: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ["pipe", "pipe", "ignore"],
    });
    let readyMs = 0;
    child.on("error", reject);
    child.stdout.once("data", () => {
      readyMs = performance.now() - started;
      // Let start-up garbage settle, then read what the idle process keeps resident.
      setTimeout(() => {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
        child.stdin.end();
        child.once("exit", () => resolve({ readyMs, idleRss: kib * 1024 }));
      }, 500);
    });
    child.stdin.write("/incident list\n");
  });
}

export async function startupBench(): Promise<Row[]> {
  const tmp = tempDir("startup");
  try {
    const bot: Start[] = [];
    const bare: Start[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // A fresh database each round: start-up includes creating the file and migrating.
      const env = {
        ...process.env,
        HINDSIGHT_DB: join(tmp.dir, `start-${i}.db`),
        HINDSIGHT_LOG_LEVEL: "warn",
      };
      bare.push(await startOnce(["-e", BARE], env));
      bot.push(await startOnce([MAIN, "start"], env));
    }
    const botReady = median(bot.map((s) => s.readyMs));
    const bareReady = median(bare.map((s) => s.readyMs));
    const botRss = median(bot.map((s) => s.idleRss));
    const bareRss = median(bare.map((s) => s.idleRss));
    let n = 0;
    const createMs = timeMedian(ROUNDS, () => {
      benchApp(join(tmp.dir, `create-${n++}.db`)).db.close();
    });
    return [
      {
        bench: "startup",
        figure: "spawn to first reply",
        value: round(botReady, 0),
        unit: "ms",
        baseline: { label: "bare node readline", value: round(bareReady, 0) },
        ratio: round(botReady / bareReady, 2),
      },
      {
        bench: "startup",
        figure: "idle RSS after start",
        value: mb(botRss),
        unit: "MB",
        baseline: { label: "bare node readline", value: mb(bareRss) },
        ratio: round(botRss / bareRss, 2),
      },
      {
        bench: "startup",
        figure: "createApp on a new file",
        value: round(createMs, 1),
        unit: "ms",
        note: "in-process: open, migrate, prepare statements, build the registry",
      },
    ];
  } finally {
    tmp.cleanup();
  }
}
