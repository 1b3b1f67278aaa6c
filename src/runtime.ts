import { userInfo } from "node:os";
import type { Adapter } from "./adapters/adapter.ts";
import { ConsoleAdapter } from "./adapters/console/consoleAdapter.ts";
import { alertRoutes, everyPlatformChat, openAlertIncidents } from "./alerts/routes.ts";
import { type App, createApp } from "./app.ts";
import { systemClock, systemScheduler } from "./clock.ts";
import type { Env } from "./config.ts";
import { startHousekeeping } from "./housekeeping.ts";
import { healthEndpoint } from "./http/endpoint.ts";
import { opsRoutes } from "./http/routes.ts";
import { type HttpServer, startHttpServer } from "./http/server.ts";
import type { Logger } from "./logging.ts";
import { createMetrics } from "./metrics.ts";
import { reminderSettingsFrom } from "./reminders/settings.ts";
import { everyPlatform, startReminders } from "./reminders/start.ts";
import { closeDatabase, exitIfHeldOpen, once } from "./shutdown.ts";
import { stoppable } from "./trackers/call.ts";
import {
  type ExporterDeps,
  type ExportJob,
  exporterDeps,
  exportPending,
} from "./trackers/exporter.ts";
import { trackerFromConfig } from "./trackers/setup.ts";
import { resumePending, syncClosed, syncSchedule } from "./trackers/sync.ts";

/**
 * After a graceful stop, how long the process may still be held open (by work abandoned after its
 * grace, or a socket or timer a library left behind) before it exits anyway: the whole stop must
 * fit in `docker stop`'s 10 s before SIGKILL.
 */
const LINGER_MS = 2000;

export interface Runtime {
  app: App;
  adapters: Adapter[];
  /** the tracker exporter when HINDSIGHT_TRACKER is set */
  exporter: ExporterDeps | undefined;
  /** resolves when the bot has nothing more to do (piped terminal input ended) */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root for `hindsight start`: the app, then each configured chat front end.
 * With no chat platform configured, the terminal is the front end.
 */
export async function startRuntime(config: Env, log: Logger): Promise<Runtime> {
  const metrics = createMetrics();
  // The terminal has one lobby and a room per incident, always: with "create rooms" off, the
  // lobby itself would become the first incident's and no second incident could be started.
  const terminalOnly = !config.SLACK_BOT_TOKEN && !config.MATRIX_HOMESERVER_URL;
  const app = createApp(terminalOnly ? { ...config, HINDSIGHT_CREATE_ROOMS: true } : config, log, {
    observer: metrics.observer,
  });
  metrics.watch(app.repos);
  const adapters: Adapter[] = [];
  // /healthz and /metrics; on Slack's port, pass ops.routes as the Slack adapter's customRoutes.
  const ops = opsRoutes({ db: app.db, adapters, metrics, log: log.child({ module: "http" }) });
  // Alerts in: off without a token, since an open endpoint would let anyone declare incidents.
  const alertChat = everyPlatformChat(adapters, log.child({ module: "alerts" }));
  const alerts =
    config.HINDSIGHT_ALERTS_TOKEN && config.HINDSIGHT_ALERT_RULES
      ? alertRoutes({
          token: config.HINDSIGHT_ALERTS_TOKEN,
          rules: config.HINDSIGHT_ALERT_RULES,
          bot: app.bot,
          chat: alertChat,
          log: log.child({ module: "alerts" }),
          observer: metrics.alerts,
        })
      : undefined;
  const routes = [...ops.routes, ...(alerts?.routes ?? [])];
  const endpoint = healthEndpoint(config);
  let http: HttpServer | undefined;
  if (endpoint && !endpoint.onSlackPort) {
    // First, so a port already in use stops the start before any adapter connects.
    http = await startHttpServer(routes, endpoint, log.child({ module: "http" })).catch(
      (error: unknown) => {
        closeDatabase(app.db, log);
        throw error;
      },
    );
  }
  const stopHousekeeping = startHousekeeping(
    app.repos,
    systemClock,
    log.child({ module: "housekeeping" }),
  );
  // `/action export` files after its commit, through each front end's engine; the timer resumes
  // exports cut short by a crash and brings closed issues back, said in the incident's rooms.
  const trackerCalls = stoppable();
  const tracker = await trackerFromConfig(config, log.child({ module: "tracker" }), {
    signal: trackerCalls.signal,
  });
  const exporter = tracker
    ? exporterDeps({
        repos: app.repos,
        tracker,
        clock: systemClock,
        log: log.child({ module: "tracker" }),
        observer: metrics.exports,
      })
    : undefined;
  const exportActions = exporter && ((job: ExportJob) => exportPending(exporter, job));
  // Timers' lines go to the incident's rooms on every platform, through each adapter's engine.
  const rooms = everyPlatform(adapters, log.child({ module: "timers" }));
  const stopSync = exporter
    ? syncSchedule({
        every: config.HINDSIGHT_TRACKER_SYNC_EVERY,
        clock: systemClock,
        log: log.child({ module: "tracker" }),
        pass: async () => {
          for (const { incidentId, line } of await resumePending(exporter))
            await rooms.postToIncidentRoom(incidentId, line, { cardChanged: true });
          for (const closed of await syncClosed(exporter))
            await rooms.postToIncidentRoom(
              closed.incidentId,
              `Action ${closed.number} is done: ${closed.ref} was closed in the tracker.`,
              { cardChanged: true },
            );
        },
      }).start()
    : async () => {};
  // Each chat SDK is loaded only when its platform is configured: Bolt and matrix-js-sdk are
  // most of the start-up time and idle memory of a terminal session that uses neither.
  if (config.SLACK_BOT_TOKEN) {
    const { createSlackAdapter } = await import("./adapters/slack/slackAdapter.ts");
    const slackLog = log.child({ module: "slack" });
    const customRoutes = endpoint?.onSlackPort ? routes : undefined;
    adapters.push(
      createSlackAdapter(config, {
        bot: app.bot,
        log: slackLog,
        routes: customRoutes,
        exportActions,
      }),
    );
  }
  if (config.MATRIX_HOMESERVER_URL) {
    const { createMatrixAdapter } = await import("./adapters/matrix/matrixAdapter.ts");
    adapters.push(
      createMatrixAdapter(config, {
        bot: app.bot,
        log: log.child({ module: "matrix" }),
        exportActions,
      }),
    );
  }
  let finished: Promise<void> = new Promise(() => {});

  if (adapters.length === 0) {
    const terminal = new ConsoleAdapter({
      bot: app.bot,
      clock: systemClock,
      log: log.child({ module: "console" }),
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      user: userInfo().username || "you",
      timezone: config.HINDSIGHT_TIMEZONE,
      exportActions,
    });
    adapters.push(terminal);
    await terminal.start();
    finished = terminal.finished;
  } else {
    const started: Adapter[] = [];
    try {
      for (const adapter of adapters) {
        await adapter.start();
        started.push(adapter);
      }
    } catch (error) {
      // A refused token or a taken port: release what did start, so the process can exit with
      // the one-line error instead of hanging on an open server or connection.
      for (const adapter of started) await adapter.stop().catch(() => {});
      stopHousekeeping();
      await stopSync();
      await http?.close();
      closeDatabase(app.db, log);
      throw error;
    }
  }

  // An alert's incident whose chat side a crash cut short is opened now (the others are skipped).
  openAlertIncidents(app.bot, alertChat).catch((error: unknown) =>
    log.error({ err: error }, "could not open the incidents alerts declared"),
  );
  // After the adapters: the first tick posts what came due while the bot was down.
  const reminders = startReminders({
    settings: reminderSettingsFrom(config),
    repos: app.repos,
    port: rooms,
    clock: systemClock,
    scheduler: systemScheduler,
    log: log.child({ module: "reminders" }),
    posted: (r) => metrics.reminderPosted(r.kind),
  });

  return {
    app,
    adapters,
    exporter,
    finished,
    // Order matters: report "shutting down" to health checks, let each adapter stop taking work
    // and finish what it has (side by side: each has its own bounded grace), then close the ops
    // server and last the database they all use. One adapter failing to stop still lets the
    // others stop and the database close.
    stop: once(async () => {
      ops.drain();
      stopHousekeeping();
      trackerCalls.stop();
      // Before the adapters: a reminder being posted finishes while they can still post it.
      await reminders?.stop();
      // Same for an alert's chat side; each post has its own timeout, this waits for at most 3 s.
      await Promise.race([alerts?.idle(), new Promise((r) => setTimeout(r, 3000).unref())]);
      const stops = await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      stops.forEach((result, i) => {
        if (result.status === "rejected")
          log.error({ err: result.reason, adapter: adapters[i]?.name }, "adapter failed to stop");
      });
      await stopSync();
      await http?.close();
      closeDatabase(app.db, log);
      log.info("stopped");
      exitIfHeldOpen(log, LINGER_MS);
    }),
  };
}
