import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import pino from "pino";
import { ConsoleAdapter } from "../../src/adapters/console/consoleAdapter.ts";
import { type AlertObserver, alertRoutes, everyPlatformChat } from "../../src/alerts/routes.ts";
import { type App, createApp } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { opsRoutes } from "../../src/http/routes.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { createMetrics } from "../../src/metrics.ts";

export const TOKEN = "test-alerts-token-0123456789abcdef";

/**
 * Alertmanager's webhook body (format version 4) as its documentation shows it, one firing
 * alert: a blackbox probe failing.
 */
export function alertmanagerBody(overrides: Record<string, unknown> = {}) {
  return {
    receiver: "hindsight",
    status: "firing",
    alerts: [probeFailure()],
    groupLabels: { alertname: "ProbeFailure" },
    commonLabels: {
      alertname: "ProbeFailure",
      instance: "https://server.example.org",
      job: "http_checks",
      monitor: "master",
      severity: "critical",
    },
    commonAnnotations: {
      description:
        "Instance https://server.example.org has been down for over 5m. Job: http_checks",
      summary: "BlackBox Probe Failure: https://server.example.org",
    },
    externalURL: "http://prometheus.example.org:9093",
    version: "4",
    groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

export function probeFailure(overrides: Record<string, unknown> = {}) {
  return {
    status: "firing",
    labels: {
      alertname: "ProbeFailure",
      instance: "https://server.example.org",
      job: "http_checks",
      monitor: "master",
      severity: "critical",
    },
    annotations: {
      description:
        "Instance https://server.example.org has been down for over 5m. Job: http_checks",
      summary: "BlackBox Probe Failure: https://server.example.org",
    },
    startsAt: "2023-02-06T13:08:45.828Z",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0",
    fingerprint: "1a30ba71cca2921f",
    ...overrides,
  };
}

/** Grafana's contact-point webhook body as its documentation shows it: two firing alerts. */
export function grafanaBody() {
  return {
    receiver: "My Super Webhook",
    status: "firing",
    orgId: 1,
    alerts: [
      {
        status: "firing",
        labels: { alertname: "High memory usage", team: "blue", zone: "us-1" },
        annotations: {
          description: "The system has high memory usage",
          runbook_url: "https://myrunbook.com/runbook/1234",
          summary: "This alert was triggered for zone us-1",
        },
        startsAt: "2021-10-12T09:51:03.157076+02:00",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "https://play.grafana.org/alerting/1afz29v7z/edit",
        fingerprint: "c6eadffa33fcdf37",
        silenceURL:
          "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
        dashboardURL: "",
        panelURL: "",
        values: { B: 44.23943737541908, C: 1 },
      },
      {
        status: "firing",
        labels: { alertname: "High CPU usage", team: "blue", zone: "eu-1" },
        annotations: {
          description: "The system has high CPU usage",
          runbook_url: "https://myrunbook.com/runbook/1234",
          summary: "This alert was triggered for zone eu-1",
        },
        startsAt: "2021-10-12T09:56:03.157076+02:00",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "https://play.grafana.org/alerting/d1rdpdv7k/edit",
        fingerprint: "bc97ff14869b13e3",
        silenceURL:
          "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1",
        dashboardURL: "",
        panelURL: "",
        values: { B: 44.23943737541908, C: 1 },
      },
    ],
    groupLabels: {},
    commonLabels: { team: "blue" },
    commonAnnotations: {},
    externalURL: "https://play.grafana.org/",
    version: "1",
    groupKey: "{}:{}",
    truncatedAlerts: 0,
    title: "[FIRING:2] (blue)",
    state: "alerting",
    message: "**Firing**\n\nLabels:\n - alertname = T2\n - team = blue\n - zone = us-1\n",
  };
}

/** The rules the tests use: exact values, a regex, and a later rule that never wins for blue. */
export const RULES = `
- match: { alertname: ProbeFailure, severity: critical }
  severity: 1
  title: "{{ labels.alertname }} on {{ labels.instance }}"
- match: { team: /blu.*/ }
  severity: 3
- match: { alertname: /High.*/ }
  severity: 2
  title: never this one
`;

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-alerts-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A real app over an in-memory database, the ops and alert routes on a loopback port, and the
 * terminal front end (the real engine) as the one platform; what it prints is kept.
 */
export async function startAlertServer(options: {
  now: string;
  rules?: string;
  /** replaces the metrics' alert observer (a broken one, say) */
  alertObserver?: AlertObserver;
}) {
  const { dir, cleanup } = tempDir();
  const rulesFile = join(dir, "rules.yaml");
  writeFileSync(rulesFile, options.rules ?? RULES);
  const config = loadConfig({
    HINDSIGHT_DB: ":memory:",
    HINDSIGHT_HTTP_PORT: "0",
    HINDSIGHT_ALERTS_TOKEN: TOKEN,
    HINDSIGHT_ALERT_RULES: rulesFile,
  });
  const clock = fixedClock(options.now);
  const logs: Record<string, unknown>[] = [];
  const log = pino(
    { level: "info" },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const metrics = createMetrics();
  const app: App = createApp(config, log, { clock, observer: metrics.observer });
  metrics.watch(app.repos);
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const terminal = new ConsoleAdapter({
    bot: app.bot,
    clock,
    log,
    input: new PassThrough(),
    output,
    interactive: false,
    user: "alice",
  });
  const alerts = alertRoutes({
    token: TOKEN,
    rules: config.HINDSIGHT_ALERT_RULES!,
    bot: app.bot,
    chat: everyPlatformChat([terminal], log),
    log,
    observer: options.alertObserver ?? metrics.alerts,
  });
  const ops = opsRoutes({ db: app.db, adapters: [terminal], metrics, log });
  const server: HttpServer = await startHttpServer(
    [...ops.routes, ...alerts.routes],
    { port: 0, host: "127.0.0.1" },
    log,
  );
  const base = `http://127.0.0.1:${server.port}`;
  return {
    app,
    clock,
    logs,
    config,
    printed: () => printed,
    base,
    /** POSTs a body (an object is sent as JSON) with the token unless told otherwise. */
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          ...headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: JSON.parse(text) as Record<string, unknown>,
      };
    },
    /** Waits until the chat side of every webhook answered so far is done. */
    idle: () => alerts.idle(),
    /** Every row of every table: equal snapshots mean nothing was written. */
    snapshot(): string {
      const tables = app.db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
        )
        .all();
      return JSON.stringify(
        tables.map((t) => [t.name, app.db.prepare(`SELECT * FROM "${t.name}"`).all()]),
      );
    },
    async stop() {
      await server.close();
      app.db.close();
      cleanup();
    },
  };
}

export type AlertServer = Awaited<ReturnType<typeof startAlertServer>>;
