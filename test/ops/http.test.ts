import { connect } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/adapters/adapter.ts";
import { type App, createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { opsRoutes } from "../../src/http/routes.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { createMetrics } from "../../src/metrics.ts";

const log = pino({ level: "silent" });
const NOW = Date.parse("2026-03-02T12:00:00Z");

/** A real app on an in-memory database, its ops routes on a real loopback port. */
async function setup() {
  const metrics = createMetrics();
  const app: App = createApp(loadConfig({ HINDSIGHT_DB: ":memory:" }), log, {
    clock: fixedClock("2026-03-02T12:00:00Z"),
    observer: metrics.observer,
  });
  metrics.watch(app.repos);
  let connected = true;
  const chat: Adapter = {
    name: "chat",
    start: async () => {},
    stop: async () => {},
    healthy: () => connected,
  };
  const ops = opsRoutes({ db: app.db, adapters: [chat], metrics, log });
  const server = await startHttpServer(ops.routes, { port: 0, host: "127.0.0.1" }, log);
  const base = `http://127.0.0.1:${server.port}`;
  let n = 0;
  const say = (text: string, room = "lobby") =>
    app.bot.handle({
      platform: "console",
      actor: { id: "alice", name: "alice" },
      room,
      text,
      eventId: `e${++n}`,
      time: NOW,
    });
  return {
    app,
    ops,
    server,
    say,
    disconnect: () => {
      connected = false;
    },
    get: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init),
  };
}

let opened: { server: HttpServer; app: App }[] = [];
afterEach(async () => {
  for (const { server, app } of opened) {
    await server.close();
    if (app.db.open) app.db.close();
  }
  opened = [];
});

async function started() {
  const s = await setup();
  opened.push(s);
  return s;
}

/** The value of one sample line in Prometheus text format, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics", () => {
  it("counts commands by name and outcome, times them, and reads incidents and messages", async () => {
    const { say, app, get } = await started();
    const declared = say("/incident start Checkout down --sev 2");
    expect(declared.kind).toBe("ok");
    expect(say("/timeline add INC-1 10:05 proxy down").kind).toBe("ok");
    expect(say("/timeline add INC-1 10:06 cache cold").kind).toBe("ok");
    expect(say("/incident sev INC-1 9").kind).toBe("user-error");
    expect(say("/incident frobnicate").kind).toBe("user-error");
    say("/incident start Search slow");
    say("/incident resolve INC-2");
    app.bot.bindRoom(1, "console", "inc-1");
    expect(say("the proxy restarted", "inc-1").kind).toBe("collected");
    expect(say("impact: checkout failed for 20 minutes", "inc-1").kind).toBe("collected");

    const response = await get("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'hindsight_commands_total{command="incident start",outcome="ok"}')).toBe(2);
    expect(sample(text, 'hindsight_commands_total{command="timeline add",outcome="ok"}')).toBe(2);
    expect(
      sample(text, 'hindsight_commands_total{command="incident sev",outcome="user-error"}'),
    ).toBe(1);
    expect(sample(text, 'hindsight_commands_total{command="unknown",outcome="user-error"}')).toBe(
      1,
    );
    expect(sample(text, 'hindsight_command_duration_seconds_count{command="timeline add"}')).toBe(
      2,
    );
    expect(
      sample(text, 'hindsight_command_duration_seconds_bucket{le="+Inf",command="incident start"}'),
    ).toBe(2);
    expect(sample(text, "hindsight_open_incidents")).toBe(1);
    expect(sample(text, "hindsight_collected_messages")).toBe(2);
    expect(sample(text, "hindsight_messages_collected_total")).toBe(2);
    // process metrics come with it: memory and event-loop lag are what an operator looks at first
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts a redelivered command as a duplicate, not a second run", async () => {
    const { app, get } = await started();
    const invocation = {
      platform: "console" as const,
      actor: { id: "alice", name: "alice" },
      room: "lobby",
      text: "/incident start Replayed",
      eventId: "same-event",
      time: NOW,
    };
    app.bot.handle(invocation);
    app.bot.handle(invocation);
    const text = await (await get("/metrics")).text();
    expect(sample(text, 'hindsight_commands_total{command="incident start",outcome="ok"}')).toBe(1);
    expect(sample(text, 'hindsight_commands_total{command="unknown",outcome="duplicate"}')).toBe(1);
    expect(sample(text, "hindsight_open_incidents")).toBe(1);
  });
});

describe("/healthz", () => {
  it("is 200 with the database and every adapter ok", async () => {
    const { get } = await started();
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: "ok",
      adapters: { chat: "ok" },
    });
  });

  it("is 503 naming the adapter that lost its connection", async () => {
    const { get, disconnect } = await started();
    disconnect();
    const response = await get("/healthz");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "unavailable",
      database: "ok",
      adapters: { chat: "disconnected" },
    });
  });

  it("is 503 when the database does not answer", async () => {
    const { get, app } = await started();
    app.db.close();
    const response = await get("/healthz");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ database: "unreachable" });
    // metrics still answer, without the database gauges' stale values
    const metrics = await get("/metrics");
    expect(metrics.status).toBe(200);
    const body = await metrics.text();
    expect(body).toContain("# TYPE hindsight_open_incidents gauge");
    // prom-client prints "Nan"; Prometheus reads floats case-insensitively
    expect(body).toMatch(/^hindsight_open_incidents nan$/im);
    expect(body).toMatch(/^hindsight_collected_messages nan$/im);
  });

  it("is 503 once shutdown has begun, so a load balancer stops sending work", async () => {
    const { get, ops } = await started();
    ops.drain();
    const response = await get("/healthz");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "shutting-down" });
  });
});

describe("the ops server", () => {
  it("answers unknown paths with 404 and wrong methods with 405", async () => {
    const { get } = await started();
    expect((await get("/slack/events")).status).toBe(404);
    const post = await get("/healthz", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("survives a malformed request target and keeps answering", async () => {
    const { server, get } = await started();
    // An absolute-form target that new URL() cannot parse; sent raw, as an attacker would.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => {
        socket.end("GET http://a:b:c/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      });
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect((await get("/healthz")).status).toBe(200);
  });

  it("reports a port in use as one clear line", async () => {
    const { server } = await started();
    await expect(
      startHttpServer([], { port: server.port, host: "127.0.0.1" }, log),
    ).rejects.toThrow(
      `cannot listen for health and metrics on 127.0.0.1 ${server.port}: EADDRINUSE`,
    );
  });
});
