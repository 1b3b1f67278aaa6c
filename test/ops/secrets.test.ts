import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, MAIN, run } from "./child.ts";

// Distinctive fake values: any of them in the output means a secret reached the logs.
const SECRETS = {
  SLACK_BOT_TOKEN: "xoxb-000-111-LEAKCHECKBOTTOKEN",
  SLACK_APP_TOKEN: "xapp-1-A000-222-LEAKCHECKAPPTOKEN",
  SLACK_SIGNING_SECRET: "LEAKCHECKSIGNINGSECRET",
  MATRIX_ACCESS_TOKEN: "syt_LEAKCHECKMATRIXTOKEN",
  MATRIX_PASSWORD: "LEAKCHECKMATRIXPASSWORD",
};

interface Platforms {
  url: string;
  /** every request as "path authorization body" */
  seen: string[];
  firstRequest: Promise<void>;
  server: Server;
}

/**
 * Slack's Web API and a Matrix homeserver on loopback. Slack accepts the bot token and refuses
 * the Socket Mode app token; Matrix refuses every credential. The bot really sends its secrets
 * somewhere and fails, the path most likely to log too much, yet nothing leaves the machine.
 */
async function fakePlatforms(): Promise<Platforms> {
  const seen: string[] = [];
  let requested = () => {};
  const firstRequest = new Promise<void>((resolve) => {
    requested = resolve;
  });
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      seen.push(`${path} ${req.headers.authorization ?? ""} ${body}`);
      requested();
      res.setHeader("content-type", "application/json");
      if (path === "/api/auth.test") {
        const who = { team_id: "T1", team: "Test", user_id: "U1", user: "hindsight", bot_id: "B1" };
        res.end(JSON.stringify({ ok: true, url: "https://test.invalid/", ...who }));
      } else if (path.startsWith("/api/")) {
        res.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
      } else if (path === "/_matrix/client/versions") {
        res.end(JSON.stringify({ versions: ["v1.11"] }));
      } else if (path.endsWith("/login")) {
        res.statusCode = 403;
        res.end(JSON.stringify({ errcode: "M_FORBIDDEN", error: "Invalid password" }));
      } else {
        res.statusCode = 401;
        res.end(JSON.stringify({ errcode: "M_UNKNOWN_TOKEN", error: "Unknown access token" }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, firstRequest, server };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  killChildren();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Scenario = [string, (p: Platforms) => Record<string, string>, keyof typeof SECRETS];
const scenarios: Scenario[] = [
  [
    "Slack, Socket Mode refused",
    (p) => ({
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
      SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      SLACK_API_URL: `${p.url}/api/`,
    }),
    "SLACK_BOT_TOKEN",
  ],
  [
    "Slack, HTTP receiver",
    (p) => ({
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      SLACK_API_URL: `${p.url}/api/`,
      PORT: "0",
    }),
    "SLACK_BOT_TOKEN",
  ],
  [
    "Matrix, access token refused",
    (p) => ({ MATRIX_HOMESERVER_URL: p.url, MATRIX_ACCESS_TOKEN: SECRETS.MATRIX_ACCESS_TOKEN }),
    "MATRIX_ACCESS_TOKEN",
  ],
  [
    "Matrix, password refused",
    (p) => ({
      MATRIX_HOMESERVER_URL: p.url,
      MATRIX_USER_ID: "@hindsight:example.org",
      MATRIX_PASSWORD: SECRETS.MATRIX_PASSWORD,
    }),
    "MATRIX_PASSWORD",
  ],
];

describe("logs", () => {
  it.each(scenarios)(
    "never contain a secret, from start to shutdown: %s",
    async (name, env, used) => {
      const refused = name.includes("refused");
      const dir = mkdtempSync(join(tmpdir(), "hindsight-secrets-"));
      const platforms = await fakePlatforms();
      cleanups.push(() => {
        platforms.server.close();
        rmSync(dir, { recursive: true, force: true });
      });
      const bot = run(
        MAIN,
        ["start"],
        {
          ...env(platforms),
          HINDSIGHT_DB: join(dir, "h.db"),
          HINDSIGHT_LOG_LEVEL: "trace",
          HINDSIGHT_HTTP_PORT: "0",
          HINDSIGHT_HTTP_HOST: "127.0.0.1",
          // a misspelt secret: the typo guard names it without its value
          SLACK_SIGNING_SECRTE: SECRETS.SLACK_SIGNING_SECRET,
        },
        dir,
      );
      bot.process.stdin!.end("/incident start Token check\n");
      if (refused) {
        // The platform refuses a credential: the bot goes all the way through its failure path
        // (logging the refusal, releasing what started) and exits by itself with one line.
        const { code } = await bot.exited;
        expect(code).toBe(2);
        expect(bot.stderr()).toMatch(/^hindsight: .*(refused|rejected|password|token)/im);
      } else {
        // Accepted: it runs until told to stop, so stop it once it is connected.
        await bot.waitFor("stderr", (text) => text.includes("Slack connected"));
        bot.process.kill("SIGTERM");
        expect((await bot.exited).code).toBe(0);
      }
      // the secret really went over the wire, so the logs had a chance to leak it
      expect(platforms.seen.join("\n")).toContain(SECRETS[used]);

      const output = bot.stdout() + bot.stderr();
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(output, `${name} leaked`).not.toContain(value);
        expect(output, `${name} leaked`).not.toContain(value.slice(-16));
      }
      // and the output is real logs: the start line with its redacted summary, the typo warning
      const start = bot.logs().find((line) => line.msg === "starting") as
        | { config: Record<string, unknown> }
        | undefined;
      expect(start?.config[used]).toBe("[redacted]");
      expect(output).toContain(
        "unknown variable SLACK_SIGNING_SECRTE (did you mean SLACK_SIGNING_SECRET?)",
      );
    },
  );
});
