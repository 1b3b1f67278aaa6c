import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "../../storage/database.ts";
import type { Adapter } from "../adapters/adapter.ts";
import type { Logger } from "../logging.ts";
import type { Metrics } from "../metrics.ts";

/** The shape of Bolt's `customRoutes` entries, so the same routes serve on Slack's port. */
export interface Route {
  path: string;
  method: string | string[];
  handler(req: IncomingMessage, res: ServerResponse): void;
}

export interface OpsOptions {
  db: Db;
  /** read at every request: adapters may be added after the routes are made */
  adapters: readonly Adapter[];
  metrics: Metrics;
  log: Logger;
}

export interface Ops {
  routes: Route[];
  /** from now on /healthz answers 503, so a load balancer stops sending work during shutdown */
  drain(): void;
}

export interface Health {
  status: "ok" | "unavailable" | "shutting-down";
  database: "ok" | "unreachable";
  adapters: Record<string, "ok" | "disconnected">;
}

/** /healthz and /metrics. */
export function opsRoutes(options: OpsOptions): Ops {
  let draining = false;
  const health = (): Health => {
    const database = databaseAnswers(options.db) ? "ok" : "unreachable";
    const adapters: Health["adapters"] = {};
    for (const a of options.adapters) adapters[a.name] = healthyAdapter(a) ? "ok" : "disconnected";
    const ok = database === "ok" && Object.values(adapters).every((s) => s === "ok");
    return { status: draining ? "shutting-down" : ok ? "ok" : "unavailable", database, adapters };
  };
  return {
    drain() {
      draining = true;
    },
    routes: [
      {
        path: "/healthz",
        method: ["GET", "HEAD"],
        handler(_req, res) {
          const body = health();
          send(res, body.status === "ok" ? 200 : 503, "application/json", JSON.stringify(body));
        },
      },
      {
        path: "/metrics",
        method: "GET",
        handler(_req, res) {
          options.metrics.registry.metrics().then(
            (text) => send(res, 200, options.metrics.registry.contentType, text),
            (error: unknown) => {
              options.log.error({ err: error }, "metrics collection failed");
              send(res, 500, "text/plain", "metrics collection failed\n");
            },
          );
        },
      },
    ],
  };
}

/** An adapter without healthy() (the terminal) has no connection to lose; one that throws is not. */
function healthyAdapter(adapter: Adapter): boolean {
  try {
    return adapter.healthy?.() ?? true;
  } catch {
    return false;
  }
}

function databaseAnswers(db: Db): boolean {
  try {
    return db.open && db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}
