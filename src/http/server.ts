import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UserError } from "../errors.ts";
import type { Logger } from "../logging.ts";
import { closeServer } from "../shutdown.ts";
import type { Route } from "./routes.ts";

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** A plain node:http server for the ops routes when Slack's HTTP receiver is not running. */
export async function startHttpServer(
  routes: readonly Route[],
  address: { port: number; host?: string | undefined },
  log: Logger,
): Promise<HttpServer> {
  const server: Server = createServer((req, res) => {
    // Split, don't parse: new URL() throws on an absolute-form target such as
    // "GET http://a:b:c/", and a throw here would end the process for anyone who can reach it.
    const path = (req.url ?? "/").split("?")[0];
    const route = routes.find((r) => r.path === path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes(req.method ?? "GET")) {
      res.writeHead(405, { allow: methods.join(", "), "content-type": "text/plain" });
      res.end("method not allowed\n");
      return;
    }
    route.handler(req, res);
  });
  // Prometheus and Docker's HEALTHCHECK open a connection per request; don't let a kept-alive
  // socket hold shutdown up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        new UserError(
          `cannot listen for health and metrics on ${address.host ?? "port"} ${address.port}: ${error.code ?? error.message}`,
        ),
      );
    server.once("error", failed);
    server.listen(address.port, address.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, host: address.host ?? "all interfaces" }, "health and metrics listening");
  return {
    port,
    // A scrape or health check takes milliseconds; one stalled mid-request is cut after a second.
    close: () => closeServer(server, 1000).catch(() => {}),
  };
}
