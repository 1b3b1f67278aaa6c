/**
 * Child process for the Slack bench, so the load generator never shares an event loop with the
 * server it measures:
 *   bolt <db>   the real SlackAdapter (Bolt's HTTPReceiver) over the real app, Web API on a
 *               loopback fake Slack (test/fakes/slackApi.ts)
 *   bare <db>   node:http that checks the same signature and does the same one-row write
 * Prints {"port": n} once listening; answers each "cpu" line on stdin with {"cpuMs": n}, the
 * process's CPU time so far (user + system), so the parent can take what a phase cost the server
 * whatever else the machine is doing; exits when stdin closes.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SlackAdapter } from "../src/adapters/slack/slackAdapter.ts";
import { createApp } from "../src/app.ts";
import { systemClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logging.ts";
import { openDatabase } from "../storage/database.ts";
import { startFakeSlack } from "../test/fakes/slackApi.ts";
import { BENCH_SECRET } from "./lib.ts";

const [mode, file] = process.argv.slice(2);

if (mode === "bolt" || mode === "bare") {
  const stop = mode === "bolt" ? await bolt(file!) : await bare(file!);
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    for (const line of chunk.split("\n"))
      if (line.trim() === "cpu") {
        const { user, system } = process.cpuUsage();
        process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
      }
  });
  process.stdin.on("end", () => {
    void stop().then(() => process.exit(0));
  });
}

async function bolt(db: string): Promise<() => Promise<void>> {
  const fake = await startFakeSlack();
  fake.users.set("UALICE", { name: "alice", tz: "UTC" });
  const config = loadConfig({
    HINDSIGHT_DB: db,
    HINDSIGHT_LOG_LEVEL: "silent",
    HINDSIGHT_CREATE_ROOMS: "false",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: fake.url,
  });
  const log = createLogger("silent", { pretty: false });
  const app = createApp(config, log);
  const adapter = new SlackAdapter({
    bot: app.bot,
    clock: systemClock,
    log,
    botToken: config.SLACK_BOT_TOKEN!,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    port: 0,
  });
  await adapter.start();
  process.stdout.write(`${JSON.stringify({ port: adapter.port })}\n`);
  return async () => {
    await adapter.stop();
    app.db.close();
    await fake.close();
  };
}

async function bare(db: string): Promise<() => Promise<void>> {
  const database = openDatabase(db);
  const now = Date.now();
  database
    .prepare(
      `INSERT INTO incidents (id, title, severity, status, started_at, declared_at, platform, created_by)
       VALUES (1, 'Bench', 2, 'investigating', ?, ?, 'slack', 'UALICE')`,
    )
    .run(now, now);
  const insert = database.prepare(
    `INSERT INTO timeline_entries (incident_id, number, at, text, kind, author_id, created_at)
     VALUES (1, ?, ?, ?, 'note', ?, ?)`,
  );
  let number = 1;
  const write = database.transaction((text: string, user: string) => {
    insert.run(++number, Date.now(), text, user, Date.now());
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const ts = String(req.headers["x-slack-request-timestamp"] ?? "");
      const expected = Buffer.from(
        `v0=${createHmac("sha256", BENCH_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`,
      );
      const given = Buffer.from(String(req.headers["x-slack-signature"] ?? ""));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      const form = new URLSearchParams(body);
      const text = (form.get("text") ?? "").replace(/^add /, "");
      write.immediate(text, form.get("user_id") ?? "");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ response_type: "in_channel", text: `Added #${number}: ${text}` }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  return async () => {
    server.close();
    database.close();
  };
}
