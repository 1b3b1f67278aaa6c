import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeHomeserver } from "../fakes/homeserver.ts";
import { startFakeSlack } from "../fakes/slackApi.ts";
import { commandPayload, postSigned, TEST_SIGNING_SECRET } from "../fakes/slackSigner.ts";
import { startSocketModeServer } from "../fakes/socketModeServer.ts";
import { type Child, killChildren, listeningPort, MAIN, run } from "./child.ts";

// `docker stop` sends SIGTERM and, 10 s later, SIGKILL. Each test runs the real entry point
// against loopback fakes that behave like the real servers (idle connections kept for a minute,
// /sync held for its timeout, the WebSocket never closed by the server) and holds connections
// open the way clients and servers do in production.

const BOT = "@hindsight:fake.test";
/**
 * "Within a few seconds" of SIGTERM, measured from the signal. Generous on purpose (a shared,
 * noisy machine): what this catches, a process held open by a socket, a timer or a long-poll,
 * stays for a minute or more, not for a few seconds more.
 */
const EXIT_WITHIN_MS = 5000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-stop-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Sends SIGTERM; resolves with how the process ended, or says it is still running. */
async function terminate(bot: Child, within = EXIT_WITHIN_MS) {
  bot.process.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`still running ${within} ms after SIGTERM`), within);
  });
  try {
    return await Promise.race([bot.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stopped, and then nothing held the process: it did not need the last-resort exit that follows a
 * stop by 2 s (which would otherwise hide a leaked socket or timer inside the time bound).
 */
function expectEndedByItself(bot: Child): void {
  const messages = bot.logs().map((l) => l.msg);
  expect(messages).toContain("stopped");
  expect(messages).not.toContain("still held open after stopping; exiting");
}

/**
 * A client in the middle of a request (over a slow link, or a scraper that stalled): a server's
 * close() waits for such a connection, for a minute and more with Node's default timeouts.
 */
async function halfSentRequest(port: number, path: string): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) =>
    socket.once("connect", resolve).once("error", reject),
  );
  socket.on("error", () => {});
  cleanups.push(() => void socket.destroy());
  // the blank line that ends the headers never comes
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n`);
}

/** A GET over a kept-alive connection, which then stays open and idle. */
async function keptAliveGet(port: number, path: string): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  cleanups.push(() => agent.destroy());
  return new Promise<number>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

async function homeserver() {
  const hs = await new FakeHomeserver().start();
  cleanups.push(() => hs.stop());
  return { hs, env: { MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: hs.register(BOT) } };
}

async function slackApi() {
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  return slack;
}

async function socketMode(slack: Awaited<ReturnType<typeof slackApi>>) {
  const ws = await startSocketModeServer();
  cleanups.push(() => ws.close());
  slack.setSocketUrl(ws.url);
  return ws;
}

function start(env: Record<string, string>): Child {
  const dir = temp();
  return run(MAIN, ["start"], { HINDSIGHT_DB: join(dir, "h.db"), ...env }, dir);
}

const OPS = { HINDSIGHT_HTTP_PORT: "0", HINDSIGHT_HTTP_HOST: "127.0.0.1" };
const SLACK_HTTP = {
  SLACK_BOT_TOKEN: "xoxb-1-2-test",
  SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
  PORT: "0",
};
const SLACK_SOCKET = { SLACK_BOT_TOKEN: "xoxb-1-2-test", SLACK_APP_TOKEN: "xapp-test-token" };

async function slackPort(bot: Child): Promise<number> {
  await bot.waitFor("stderr", (text) => text.includes('"msg":"Slack connected"'));
  return Number(bot.logs().find((l) => l.msg === "Slack connected")?.port);
}

describe("SIGTERM ends the process within seconds, exit code 0, with every platform", () => {
  it("terminal, with a scraper's connections to the ops server open (one idle, one mid-request)", async () => {
    const bot = start(OPS);
    const port = await listeningPort(bot);
    expect(await keptAliveGet(port, "/metrics")).toBe(200);
    await halfSentRequest(port, "/metrics");
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
  });

  it("Matrix, while the homeserver holds a /sync long-poll open", async () => {
    const { hs, env } = await homeserver();
    const bot = start(env);
    // the first /sync takes a position; the next is the long-poll the server holds for 30 s
    await hs.syncedPast(BOT);
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
  });

  it("Slack over HTTP, with Slack's connections to the receiver open (one idle, one mid-request)", async () => {
    const slack = await slackApi();
    const bot = start({ ...SLACK_HTTP, SLACK_API_URL: slack.url });
    const port = await slackPort(bot);
    expect(await keptAliveGet(port, "/healthz")).toBe(200);
    await halfSentRequest(port, "/slack/events");
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
  });

  it("Slack over HTTP finishes a command's follow-up that is under way at the signal", async () => {
    const slack = await slackApi();
    const bot = start({ ...SLACK_HTTP, SLACK_API_URL: slack.url });
    const port = await slackPort(bot);
    const release = slack.hold("conversations.create");
    const body = new URLSearchParams(
      commandPayload({ command: "/incident", text: "start Disk full --sev 2" }),
    ).toString();
    const ack = await postSigned(
      `http://127.0.0.1:${port}/slack/events`,
      body,
      "application/x-www-form-urlencoded",
    );
    expect(await ack.text()).toContain("Declared INC-1");
    await slack.waitForCall("conversations.create");
    const ended = terminate(bot);
    await bot.waitFor("stderr", (text) => text.includes('"msg":"shutting down'));
    release();
    expect(await ended).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
    // the incident's channel was made and its summary posted before the process ended
    expect(slack.callsTo("conversations.create")[0]?.answered).toBe(true);
    expect(slack.callsTo("chat.postMessage").length).toBeGreaterThan(0);
    expect(slack.callsTo("chat.postMessage").every((c) => c.answered)).toBe(true);
  });

  it("Slack over HTTP with a Web API call that never returns: gives it up and still ends before SIGKILL", async () => {
    const slack = await slackApi();
    const bot = start({ ...SLACK_HTTP, SLACK_API_URL: slack.url });
    const port = await slackPort(bot);
    slack.hold("conversations.create");
    const body = new URLSearchParams(
      commandPayload({ command: "/incident", text: "start Disk full --sev 2" }),
    ).toString();
    const url = `http://127.0.0.1:${port}/slack/events`;
    await postSigned(url, body, "application/x-www-form-urlencoded");
    await slack.waitForCall("conversations.create");
    // The bot waits a few seconds for the call, then abandons it; the request it leaves open
    // would hold the process for minutes of retries. Docker's SIGKILL comes 10 s after SIGTERM.
    expect(await terminate(bot, 9000)).toEqual({ code: 0, signal: null });
    const messages = bot.logs().map((l) => l.msg);
    expect(messages).toContain("stopped with Slack calls unfinished; they are abandoned");
    expect(messages).toContain("stopped");
    expect(messages).toContain("still held open after stopping; exiting");
  });

  it("Slack over Socket Mode, closing the WebSocket the server keeps open", async () => {
    const slack = await slackApi();
    const ws = await socketMode(slack);
    const bot = start({ ...SLACK_SOCKET, SLACK_API_URL: slack.url });
    await ws.connected;
    await slackPort(bot);
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
    await new Promise((resolve) => setImmediate(resolve));
    // a closing handshake, not a connection dropped by the process dying (1006)
    expect(ws.closes).toHaveLength(1);
    expect(ws.closes[0]).not.toBe(1006);
  });

  it("Slack (Socket Mode) and Matrix together, with the ops server's connections open", async () => {
    const { hs, env } = await homeserver();
    const slack = await slackApi();
    const ws = await socketMode(slack);
    const bot = start({ ...SLACK_SOCKET, SLACK_API_URL: slack.url, ...env, ...OPS });
    const port = await listeningPort(bot);
    await ws.connected;
    await hs.syncedPast(BOT);
    expect(await keptAliveGet(port, "/healthz")).toBe(200);
    await halfSentRequest(port, "/healthz");
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
  });

  it("Slack over HTTP and Matrix together", async () => {
    const { hs, env } = await homeserver();
    const slack = await slackApi();
    const bot = start({ ...SLACK_HTTP, SLACK_API_URL: slack.url, ...env });
    const port = await slackPort(bot);
    await hs.syncedPast(BOT);
    expect(await keptAliveGet(port, "/healthz")).toBe(200);
    await halfSentRequest(port, "/slack/events");
    expect(await terminate(bot)).toEqual({ code: 0, signal: null });
    expectEndedByItself(bot);
  });
});
