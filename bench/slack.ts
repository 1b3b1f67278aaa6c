import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { BENCH_SECRET, percentile, type Row, round, tempDir } from "./lib.ts";

const SERVER = fileURLToPath(new URL("./slackServer.ts", import.meta.url));
const ADAPTER = fileURLToPath(new URL("../src/adapters/slack/slackAdapter.ts", import.meta.url));
const CONCURRENCY = 50;
const BATCHES = 40;
const WARMUP_BATCHES = 4;
const TARGET_P99_MS = 50;
const CHANNEL = "CBENCH";

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(mode: "bolt" | "bare", db: string): Promise<Server> {
  const child = spawn(process.execPath, [SERVER, mode, db], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return { child, url: `http://127.0.0.1:${port}/slack/events` };
  }
  throw new Error(`${mode} server exited before listening`);
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.stdin!.end();
  await exited;
}

let trigger = 0;

interface Signed {
  headers: Record<string, string>;
  body: string;
}

/** A slash command signed as Slack signs it (v0 HMAC over timestamp and raw body). */
function signed(command: string, text: string): Signed {
  const body = new URLSearchParams({
    token: "legacy",
    team_id: "T1",
    team_domain: "bench",
    channel_id: CHANNEL,
    channel_name: "bench",
    user_id: "UALICE",
    user_name: "alice",
    command,
    text,
    api_app_id: "A1",
    trigger_id: `bench-${process.pid}-${++trigger}`,
    // Slack sends one with every command; the bot keeps it with the claim until the ack is out.
    response_url: "http://127.0.0.1:9/response/bench",
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", BENCH_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
    body,
  };
}

// node:http with kept-alive sockets, one per concurrent request, as Slack's side would hold them;
// it costs the client less than fetch, so more of each figure is the server's.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, req: Signed): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method: "POST", headers: req.headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on("error", reject);
    r.end(req.body);
  });
}

/** BATCHES rounds of CONCURRENCY simultaneous signed commands; latency = request to full ack. */
async function load(url: string): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let elapsed = 0;
  for (let batch = 0; batch < WARMUP_BATCHES + BATCHES; batch++) {
    const requests = Array.from({ length: CONCURRENCY }, (_, i) =>
      signed("/timeline", `add step ${batch}-${i} proxy answered 502`),
    );
    const started = performance.now();
    const times = await Promise.all(
      requests.map(async (init) => {
        const t0 = performance.now();
        const res = await post(url, init);
        if (res.status !== 200 || !res.body.includes("Added #"))
          throw new Error(`bad ack ${res.status}: ${res.body.slice(0, 200)}`);
        return performance.now() - t0;
      }),
    );
    if (batch >= WARMUP_BATCHES) {
      elapsed += performance.now() - started;
      latencies.push(...times);
    }
  }
  return {
    latencies: latencies.sort((a, b) => a - b),
    perSecond: latencies.length / (elapsed / 1000),
  };
}

/** Slack HTTP receiver under 50 concurrent signed slash commands vs bare node:http. */
export async function slackBench(): Promise<Row[]> {
  if (!existsSync(ADAPTER)) {
    return [
      {
        bench: "slack",
        figure: "p99 ack, 50 concurrent",
        value: Number.NaN,
        unit: "ms",
        target: `< ${TARGET_P99_MS} ms`,
        note: "not available yet: src/adapters/slack/ has not landed",
      },
    ];
  }
  const tmp = tempDir("slack");
  try {
    const bare = await startServer("bare", join(tmp.dir, "bare.db"));
    const baseline = await load(bare.url);
    await stopServer(bare);

    const bolt = await startServer("bolt", join(tmp.dir, "bolt.db"));
    const declared = await post(bolt.url, signed("/incident", "start Slack bench --sev 2"));
    if (!declared.body.includes("Declared INC-1")) throw new Error("declare failed");
    const real = await load(bolt.url);
    await stopServer(bolt);
    agent.destroy();

    const p = (l: number[], q: number) => round(percentile(l, q), 1);
    const p99 = percentile(real.latencies, 99);
    return [
      {
        bench: "slack",
        figure: `p50 ack, ${CONCURRENCY} concurrent`,
        value: p(real.latencies, 50),
        unit: "ms",
        baseline: { label: "bare node:http", value: p(baseline.latencies, 50) },
        ratio: round(percentile(real.latencies, 50) / percentile(baseline.latencies, 50), 2),
      },
      {
        bench: "slack",
        figure: `p99 ack, ${CONCURRENCY} concurrent`,
        value: round(p99, 1),
        unit: "ms",
        baseline: { label: "bare node:http", value: p(baseline.latencies, 99) },
        ratio: round(p99 / percentile(baseline.latencies, 99), 2),
        target: `< ${TARGET_P99_MS} ms`,
        pass: p99 < TARGET_P99_MS,
      },
      {
        bench: "slack",
        figure: "throughput",
        value: round(real.perSecond, 0),
        unit: "cmd/s",
        baseline: { label: "bare node:http", value: round(baseline.perSecond, 0) },
        ratio: round(real.perSecond / baseline.perSecond, 2),
        note: `${BATCHES} batches of ${CONCURRENCY} signed /timeline add, after ${WARMUP_BATCHES} warm-up batches; server in its own process`,
      },
    ];
  } finally {
    tmp.cleanup();
  }
}
