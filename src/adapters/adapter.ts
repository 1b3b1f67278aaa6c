import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock.ts";
import type { Bot } from "../core/bot.ts";
import type { ExportActions } from "../core/engine.ts";
import type { Logger } from "../logging.ts";

/** A chat front end with a lifecycle. The composition root starts and stops them. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /** stop taking new work, finish what is in flight, release connections */
  stop(): Promise<void>;
  /** for /healthz: is it connected to its platform? */
  healthy?(): boolean;
  /**
   * A timer's line (reminder, tracker sync) into the incident's room(s) on this platform; none
   * bound, nothing. `cardChanged`: the pinned card follows.
   */
  postToIncidentRoom?(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void>;
  /**
   * An incident declared without a chat command (an alert): its room on this platform (when rooms
   * are created), the pinned card, the announcement naming `source` ("Alertmanager").
   */
  openIncident?(incidentId: number, source: string): Promise<void>;
}

/** An extra HTTP route (/healthz, /metrics) for a front end that listens on a port of its own. */
export interface HttpRoute {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * What every adapter factory takes besides the configuration: `createSlackAdapter(config, deps,
 * tuning)` and `createMatrixAdapter(config, deps, tuning)` have the same shape, so the runtime
 * and test harnesses wire them alike. `tuning` holds each platform's own knobs (timeouts, ports).
 */
export interface AdapterDeps {
  bot: Bot;
  log: Logger;
  /** default: the system clock */
  clock?: Clock | undefined;
  /** served on the adapter's own HTTP port, where it has one (Slack's HTTP receiver) */
  routes?: HttpRoute[] | undefined;
  /** files action items in the issue tracker, when one is set up */
  exportActions?: ExportActions | undefined;
}
