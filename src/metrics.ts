import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ReminderKind } from "../src/incidents/types.ts";
import type { Repositories } from "../storage/repositories.ts";
import type { AlertObserver } from "./alerts/routes.ts";
import type { Observer } from "./core/bot.ts";
import type { Outcome } from "./core/dispatcher.ts";
import type { ExportObserver } from "./trackers/exporter.ts";

export interface Metrics {
  registry: Registry;
  /** handed to createBot: counts commands and collected messages as they happen */
  observer: Observer;
  /** handed to the tracker exporter: action items exported (done) or not (failed) */
  exports: ExportObserver;
  /** handed to the alert webhooks: alerts received, deduplicated, incidents declared */
  alerts: AlertObserver;
  /** gauges that read the database when scraped (open incidents, stored messages) */
  watch(repos: Repositories): void;
  /** handed to the reminder timer: one posted reminder of this kind */
  reminderPosted(kind: ReminderKind): void;
}

/**
 * One registry per process (not prom-client's global one), so tests and a second app in the same
 * process never share counters. Metric names follow Prometheus conventions: `_total` counters,
 * durations in seconds.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: "hindsight_commands_total",
    help: "Chat commands handled, by command and outcome (ok, user-error, internal-error, duplicate)",
    labelNames: ["command", "outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "hindsight_command_duration_seconds",
    help: "Time from receiving a command to having its reply, database transaction included",
    labelNames: ["command"] as const,
    // Commands are local SQLite transactions: most take a millisecond, a big draft a few hundred.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const collected = new Counter({
    name: "hindsight_messages_collected_total",
    help: "Messages collected from incident channels and rooms by this process",
    registers: [registry],
  });

  const reminders = new Counter({
    name: "hindsight_reminders_posted_total",
    help: "Reminders posted in incident rooms by this process, by kind (commander, update, resolve, overdue)",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const updates = new Counter({
    name: "hindsight_status_updates_total",
    help: "Status updates (/incident update) posted through this process",
    registers: [registry],
  });
  const exports = new Counter({
    name: "hindsight_action_exports_total",
    help: "Action items filed in the issue tracker (done, including ones found after a crash) or not (failed), by tracker",
    labelNames: ["tracker", "outcome"] as const,
    registers: [registry],
  });

  const alertsReceived = new Counter({
    name: "hindsight_alerts_received_total",
    help: "Alerts received in well-formed webhooks (each alert of each delivered group), by source (alertmanager, grafana)",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const alertsDeduped = new Counter({
    name: "hindsight_alerts_deduplicated_total",
    help: "Alerts received again (a resent group) and recorded only once, by source",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const alertIncidents = new Counter({
    name: "hindsight_alert_incidents_declared_total",
    help: "Incidents declared by an alert group matching a rule, by source",
    labelNames: ["source"] as const,
    registers: [registry],
  });

  let repos: Repositories | undefined;
  // Read at scrape time, so the numbers are right after a restart and across processes.
  const fromDatabase = (read: (r: Repositories) => number) =>
    function (this: Gauge) {
      // A database that cannot be read has no value: NaN says "unknown" to Prometheus, where a
      // stale number or reset()'s 0 ("no open incidents") would be wrong.
      this.set(repos?.db.open ? read(repos) : Number.NaN);
    };
  new Gauge({
    name: "hindsight_open_incidents",
    help: "Incidents not yet resolved",
    registers: [registry],
    collect: fromDatabase((r) => r.incidents.countOpen()),
  });
  new Gauge({
    name: "hindsight_collected_messages",
    help: "Collected messages stored in the database",
    registers: [registry],
    collect: fromDatabase((r) => r.messages.countAll()),
  });

  return {
    registry,
    observer: {
      commandHandled(outcome: Outcome, durationMs: number) {
        const command = commandLabel(outcome);
        commands.inc({ command, outcome: outcome.kind });
        latency.observe({ command }, durationMs / 1000);
        if (command === "incident update" && outcome.kind === "ok") updates.inc();
      },
      messageCollected() {
        collected.inc();
      },
    },
    exports: {
      exported(tracker, outcome, items) {
        exports.inc({ tracker, outcome }, items);
      },
    },
    alerts: {
      received: (source, n) => alertsReceived.inc({ source }, n),
      deduped: (source, n) => alertsDeduped.inc({ source }, n),
      declared: (source) => alertIncidents.inc({ source }),
    },
    watch(r) {
      repos = r;
    },
    reminderPosted(kind) {
      reminders.inc({ kind });
    },
  };
}

/** "incident start", "help" for help pages, "unknown" for a line that named no command. */
function commandLabel(outcome: Outcome): string {
  if ("command" in outcome && outcome.command)
    return `${outcome.command.group} ${outcome.command.name}`;
  return outcome.kind === "ok" ? "help" : "unknown";
}
