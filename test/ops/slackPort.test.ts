import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, MAIN, run } from "./child.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  killChildren();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nobody listens on right now (the bot is told to use it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("with Slack's HTTP receiver", () => {
  it("serves /healthz and /metrics on Slack's PORT, reporting the Slack adapter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-slackport-"));
    // Slack's Web API on loopback: the bot token is good
    const slack = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ ok: true, team_id: "T1", user_id: "U1", bot_id: "B1", user: "hindsight" }),
      );
    });
    const api = await listen(slack);
    cleanups.push(() => {
      slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const port = await freePort();
    const bot = run(
      MAIN,
      ["start"],
      {
        HINDSIGHT_DB: join(dir, "h.db"),
        SLACK_BOT_TOKEN: "xoxb-1-2-test",
        SLACK_SIGNING_SECRET: "test-signing-secret",
        SLACK_API_URL: `http://127.0.0.1:${api}/api/`,
        PORT: String(port),
        // ignored while Slack's receiver serves the endpoints: one port to expose
        HINDSIGHT_HTTP_PORT: String(await freePort()),
      },
      dir,
    );
    await bot.waitFor("stderr", (text) => text.includes('"msg":"Slack connected"'));
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      database: "ok",
      adapters: { slack: "ok" },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("hindsight_open_incidents 0");
    expect(bot.logs().some((l) => l.msg === "health and metrics listening")).toBe(false);

    bot.process.kill("SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  });
});
