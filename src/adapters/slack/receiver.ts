import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";

/** Extra HTTP routes (/healthz, /metrics) served beside Slack's, on the same port. */
export interface CustomRoute {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Puts our event handling in front of Bolt's. Bolt acknowledges Events API deliveries before any
 * listener runs; DESIGN.md wants the database write first. So event callbacks go to `onEvent`
 * (write, then ack, then Web API calls) and everything else (slash commands) to Bolt as usual.
 * The receiver keeps doing what it is for: signature checks, parsing, acks on the wire.
 */
export function gatedReceiver(
  inner: Receiver,
  onEvent: (event: ReceiverEvent) => Promise<void>,
): Receiver {
  return {
    init(app: App) {
      const processEvent = (event: ReceiverEvent): Promise<void> =>
        event.body.type === "event_callback" ? onEvent(event) : app.processEvent(event);
      // Bolt's receivers use nothing of the app but processEvent (HTTPReceiver, SocketModeReceiver).
      inner.init({ processEvent } as unknown as App);
    },
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}

/**
 * In Socket Mode nothing listens on PORT, yet /healthz and /metrics should: a small server for the
 * custom routes alone (Bolt's own would hide its port, which tests on port 0 need).
 */
export function routesServer(routes: CustomRoute[]) {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const method = (req.method ?? "GET").toUpperCase();
    const route = routes.find(
      (r) =>
        r.path === path &&
        (Array.isArray(r.method) ? r.method : [r.method]).some((m) => m.toUpperCase() === method),
    );
    if (route) return route.handler(req, res);
    res.writeHead(404).end();
  });
  return {
    server,
    listen: (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => resolve());
      }),
    port: () => (server.address() as AddressInfo | null)?.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
