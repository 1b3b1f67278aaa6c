import { userInfo } from "node:os";
import type { Adapter } from "./adapters/adapter.ts";
import { ConsoleAdapter } from "./adapters/console/consoleAdapter.ts";
import { type App, createApp } from "./app.ts";
import { systemClock } from "./clock.ts";
import type { Env } from "./config.ts";
import type { Logger } from "./logging.ts";

export interface Runtime {
  app: App;
  adapters: Adapter[];
  /** resolves when the bot has nothing more to do (piped terminal input ended) */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root for `hindsight start`: the app, then each configured chat front end.
 * With no chat platform configured, the terminal is the front end.
 */
export async function startRuntime(config: Env, log: Logger): Promise<Runtime> {
  const app = createApp(config, log);
  const adapters: Adapter[] = [];
  let finished: Promise<void> = new Promise(() => {});

  if (adapters.length === 0) {
    const terminal = new ConsoleAdapter({
      bot: app.bot,
      clock: systemClock,
      log: log.child({ module: "console" }),
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      user: userInfo().username || "you",
      timezone: config.HINDSIGHT_TIMEZONE,
    });
    adapters.push(terminal);
    await terminal.start();
    finished = terminal.finished;
  } else {
    for (const adapter of adapters) await adapter.start();
  }

  return {
    app,
    adapters,
    finished,
    async stop() {
      for (const adapter of adapters) await adapter.stop();
      app.db.close();
    },
  };
}
