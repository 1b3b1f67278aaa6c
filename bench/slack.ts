import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { BENCH_SECRET, percentile, type Row, round, tempDir } from "./lib.ts";

const SERVER = fileURLToPath(new URL("./slackServer.ts", import.meta.url));
const ADAPTER = fileURLToPath(new URL("../src/adapters/slack/slackAdapter.ts", import.meta.url));
const CONCURRENCY = 50;
const BATCHES = 200;
const WARMUP_BATCHES = 4;
/**
 * The whole measurement (bursts to both servers, taking turns) is made this many times, and the
 * figures are those of the round with the median p99 ratio. A p99 of 10 000 acks is set by the
 * slowest two or three bursts of each server, so one spell of the shared machine stealing the
 * CPU from one of them (a 30–120 ms stall, seen on both sides) moves a single round's ratio from
 * 1.2 to 0.2 or 5 (seen on unchanged code). The median of five rounds moves only when three of
 * them are hit: about one round in ten was (6 of 60 above 1.5, on 2026-12-02).
 */
const ROUNDS = 5;
const TARGET_P99_MS = 50;
/** the README's Performance target: p99 within 1.5× the bare node:http server's */
const TARGET_P99_RATIO = 1.5;
const CHANNEL = "CBENCH";

interface Server {
  child: ChildProcess;
  url: string;
  /** the server process's CPU time so far, in ms */
  cpuMs(): Promise<number>;
}

async function startServer(mode: "bolt" | "bare", db: string): Promise<Server> {
  // BENCH_PROF=<dir>: each server writes a V8 CPU profile there when it stops (profile, don't guess)
  const profile = process.env.BENCH_PROF
    ? ["--cpu-prof", "--cpu-prof-interval=100", `--cpu-prof-dir=${process.env.BENCH_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, SERVER, mode, db], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${mode} server exited`);
    return JSON.parse(line.value) as Record<string, number>;
  };
  const { port } = await next();
  return {
    child,
    url: `http://127.0.0.1:${port}/slack/events`,
    async cpuMs() {
      child.stdin!.write("cpu\n");
      return (await next()).cpuMs ?? Number.NaN;
    },
  };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.stdin!.end();
  await exited;
}

let trigger = 0;
const TRIGGER_BASE = 5_522_672_900_000;
const TEAM_PART = "6335258913941";

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
    // Shaped as Slack's ("5522672900359.6335258913941.9a930ce2…"): a fixed-width number that
    // grows with time, then a random part. The bot keys its event log on it, so ids that sort out
    // of order (the bench once sent `bench-<pid>-<n>`: …-10 sorts before …-9) made its B-tree
    // rebalance pages in the middle every few commands, which Slack's ids do not.
    trigger_id: `${TRIGGER_BASE + ++trigger}.${TEAM_PART}.${randomBytes(16).toString("hex")}`,
    // Slack sends one with every command, this long; the bot keeps it with the command's record
    // until the ack is out.
    response_url: `http://127.0.0.1:9/commands/T1/${TRIGGER_BASE + trigger}/${randomBytes(12).toString("base64url")}`,
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

interface Load {
  latencies: number[];
  perSecond: number;
  cpuPerAckMs: number;
}

/** One burst of CONCURRENCY simultaneous signed commands; latency = request sent to full ack. */
async function burst(url: string, batch: number): Promise<{ times: number[]; ms: number }> {
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
  return { times, ms: performance.now() - started };
}

/**
 * BATCHES bursts to each server, taking turns burst by burst (bare, bot, bare, bot…), so a busy
 * spell of the machine falls on both rather than on whichever ran second.
 */
async function load(servers: readonly Server[]): Promise<Load[]> {
  const latencies = servers.map((): number[] => []);
  const elapsed = servers.map(() => 0);
  const cpuAtStart = servers.map(() => 0);
  for (let batch = 0; batch < WARMUP_BATCHES + BATCHES; batch++) {
    for (const [i, server] of servers.entries()) {
      if (batch === WARMUP_BATCHES) cpuAtStart[i] = await server.cpuMs();
      const { times, ms } = await burst(server.url, batch);
      if (batch < WARMUP_BATCHES) continue;
      elapsed[i]! += ms;
      latencies[i]!.push(...times);
    }
  }
  // Work after the last acks (follow-ups) counts too: it is the bot's. `/timeline add` makes no
  // Web API call, so none of the in-process fake Slack's own work is in the figure.
  return Promise.all(
    servers.map(async (server, i) => ({
      latencies: latencies[i]!.sort((a, b) => a - b),
      perSecond: latencies[i]!.length / (elapsed[i]! / 1000),
      cpuPerAckMs: ((await server.cpuMs()) - cpuAtStart[i]!) / latencies[i]!.length,
    })),
  );
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
    const bolt = await startServer("bolt", join(tmp.dir, "bolt.db"));
    const declared = await post(bolt.url, signed("/incident", "start Slack bench --sev 2"));
    if (!declared.body.includes("Declared INC-1")) throw new Error("declare failed");
    const rounds: Array<{ baseline: Load; real: Load; p99Ratio: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [baseline, real] = (await load([bare, bolt])) as [Load, Load];
      const p99Ratio = percentile(real.latencies, 99) / percentile(baseline.latencies, 99);
      rounds.push({ baseline, real, p99Ratio });
    }
    await stopServer(bare);
    await stopServer(bolt);
    agent.destroy();

    const byRatio = [...rounds].sort((a, b) => a.p99Ratio - b.p99Ratio);
    const { baseline, real, p99Ratio } = byRatio[Math.floor(byRatio.length / 2)]!;
    const mean = (f: (round: (typeof rounds)[number]) => number) =>
      rounds.reduce((sum, round) => sum + f(round), 0) / rounds.length;
    const p = (l: number[], q: number) => round(percentile(l, q), 1);
    const p99 = percentile(real.latencies, 99);
    const eachRound = rounds.map((r) => round(r.p99Ratio, 2)).join(", ");
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
        ratio: round(p99Ratio, 2),
        target: `< ${TARGET_P99_MS} ms, ratio <= ${TARGET_P99_RATIO}`,
        pass: p99 < TARGET_P99_MS && p99Ratio <= TARGET_P99_RATIO,
        note: `p50 and p99 are the round with the median p99 ratio of ${ROUNDS} (each round's: ${eachRound})`,
      },
      {
        bench: "slack",
        figure: "server CPU per ack",
        value: round(mean((r) => r.real.cpuPerAckMs) * 1000, 0),
        unit: "µs",
        baseline: {
          label: "bare node:http",
          value: round(mean((r) => r.baseline.cpuPerAckMs) * 1000, 0),
        },
        ratio: round(mean((r) => r.real.cpuPerAckMs) / mean((r) => r.baseline.cpuPerAckMs), 2),
        note: `user + system CPU of the server process over the measured batches of all ${ROUNDS} rounds, per command: steadier than latency on a busy machine`,
      },
      {
        bench: "slack",
        figure: "throughput",
        value: round(
          mean((r) => r.real.perSecond),
          0,
        ),
        unit: "cmd/s",
        baseline: {
          label: "bare node:http",
          value: round(
            mean((r) => r.baseline.perSecond),
            0,
          ),
        },
        ratio: round(mean((r) => r.real.perSecond) / mean((r) => r.baseline.perSecond), 2),
        note: `${ROUNDS} rounds of ${BATCHES} batches of ${CONCURRENCY} signed /timeline add, each after ${WARMUP_BATCHES} warm-up batches; server in its own process`,
      },
    ];
  } finally {
    tmp.cleanup();
  }
}
