import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type AlertServer, startAlertServer, TOKEN, tempDir } from "./support.ts";

/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager, 0.25 on Debian 12) sending
 * its webhook to the bot's loopback port. Its own instance on loopback ports with its own storage
 * and no cluster: a system service the package may have started is never involved.
 */
const BINARY = "/usr/bin/prometheus-alertmanager";
const present = existsSync(BINARY);
if (!present)
  console.log(
    `skipping the Alertmanager integration test: ${BINARY} is missing (apt-get install prometheus-alertmanager)`,
  );

let bot: AlertServer | undefined;
let alertmanager: ChildProcess | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const exited = new Promise((resolve) => alertmanager?.once("exit", resolve));
    alertmanager.kill("SIGTERM");
    await exited;
  }
  alertmanager = undefined;
  await bot?.stop();
  bot = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** Polls until `check` gives a value (no time limit of its own: the test's timeout is the bound). */
async function until<T>(check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(100);
  }
}

function startAlertmanager(botPort: number, port: number, webhookExtra = "") {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const config = join(dir, "alertmanager.yml");
  writeFileSync(
    config,
    `route:
  receiver: hindsight
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hindsight
    webhook_configs:
      - url: http://127.0.0.1:${botPort}/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${TOKEN}
${webhookExtra}`,
  );
  let output = "";
  const child = spawn(
    BINARY,
    [
      `--config.file=${config}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      `--storage.path=${join(dir, "data")}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

/** An Alertmanager sending to `server`, once it answers /-/ready; its API's base URL. */
async function readyAlertmanager(server: AlertServer, webhookExtra = ""): Promise<string> {
  const port = await freePort();
  const am = startAlertmanager(Number(new URL(server.base).port), port, webhookExtra);
  alertmanager = am.child;
  const api = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (am.child.exitCode !== null) throw new Error(`alertmanager exited:\n${am.output()}`);
    const ready = await fetch(`${api}/-/ready`).catch(() => undefined);
    return ready?.ok ? true : undefined;
  });
  return api;
}

describe.skipIf(!present)("a real Prometheus Alertmanager", () => {
  it("delivers a firing alert that declares an incident, then its resolution at endsAt", async () => {
    const started = new Date(Date.now() - 60_000);
    bot = await startAlertServer({ now: new Date().toISOString() });
    const server = bot;
    const api = await readyAlertmanager(server);
    const labels = {
      alertname: "ProbeFailure",
      severity: "critical",
      instance: "https://server.example.org",
    };
    const annotations = { summary: "BlackBox Probe Failure: https://server.example.org" };
    const posted = await fetch(`${api}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ labels, annotations, startsAt: started.toISOString() }]),
    });
    expect(posted.status).toBe(200);

    const incident = await until(() => server.app.bot.incident(1));
    expect(incident.title).toBe("ProbeFailure on https://server.example.org");
    expect(incident.severity).toBe(1);
    expect(incident.startedAt).toBe(started.getTime());
    expect(server.app.bot.roomsOf(1, "console")).toEqual(["inc-1"]);

    // Resolved: Alertmanager sends the group again with the alert's endsAt.
    const ended = new Date(Date.now() - 1_000);
    await fetch(`${api}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { labels, annotations, startsAt: started.toISOString(), endsAt: ended.toISOString() },
      ]),
    });
    const resolved = await until(() =>
      server.app.repos.timeline.list(1).find((e) => e.text.includes("resolved on")),
    );
    expect(resolved.at).toBe(ended.getTime());
    expect(resolved.text).toBe(
      "alert ProbeFailure resolved on https://server.example.org (Alertmanager)",
    );
    // Every delivery carried the token; one incident, whatever Alertmanager resent meanwhile.
    expect(server.app.bot.openIncidents().map((i) => i.id)).toEqual([1]);
    expect(server.logs.filter((l) => l.msg === "alert webhook refused")).toEqual([]);
  });

  it("with max_alerts, the incident notes how many alerts of the group were left out", async () => {
    const started = new Date(Date.now() - 60_000);
    bot = await startAlertServer({ now: new Date().toISOString() });
    const server = bot;
    const api = await readyAlertmanager(server, "        max_alerts: 2\n");
    const alerts = [1, 2, 3, 4, 5].map((n) => ({
      labels: {
        alertname: "ProbeFailure",
        severity: "critical",
        instance: `https://s${n}.example.org`,
      },
      annotations: { summary: `BlackBox Probe Failure: s${n}` },
      startsAt: started.toISOString(),
    }));
    const posted = await fetch(`${api}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alerts),
    });
    expect(posted.status).toBe(200);

    const note = await until(() =>
      server.app.repos.timeline.list(1).find((e) => e.text.includes("left out of the webhook")),
    );
    expect(note.text).toMatch(/^3 more alerts were in this group, left out of the webhook/);
    const recorded = server.app.repos.timeline
      .list(1)
      .filter((e) => e.text.startsWith("alert ProbeFailure firing"));
    expect(recorded).toHaveLength(2);
  });
});
