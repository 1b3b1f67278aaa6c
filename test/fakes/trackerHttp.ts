import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a tracker fake received it. */
export interface TrackerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

/** What a route answers: a status, a JSON (or text) body, extra headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A canned failure for the next matching request(s), in the API's own shape. */
export interface Fault extends Answer {
  /** e.g. "POST" or "GET": only requests with this method */
  method?: string;
  /** how many requests it answers; default: every one until cleared */
  times?: number;
  /** matching requests to let through first */
  skip?: number;
}

export type Route = (req: TrackerRequest) => Answer | undefined;

/**
 * The HTTP part shared by the GitHub, GitLab and Jira fakes: loopback, keep-alive like the real
 * services (connections stay open between requests, so a test that forgets to close one hangs
 * here as it would in production), every request recorded, and three ways to misbehave:
 * `fail` (an error answer), `hold` (never answer, as a stalled server), `holdAfter` (do the work,
 * then never answer: the issue exists but the client never hears of it).
 */
export async function startTrackerHttp(route: Route) {
  const requests: TrackerRequest[] = [];
  const unexpected: string[] = [];
  const faults: Fault[] = [];
  let hold: { mode: "before" | "after"; method?: string } | undefined;
  const held = new Set<ServerResponse>();
  const waiters = new Set<() => void>();

  const server = createServer({ keepAlive: true }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      unexpected.push(`fake failed: ${String(error)}`);
      res.writeHead(500).end();
    });
  });
  // GitHub and GitLab keep idle connections for about a minute; the client must cope either way.
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", origin);
    const request: TrackerRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw && (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(raw) : raw,
    };
    requests.push(request);
    for (const w of waiters) w();
    const holding = hold && (!hold.method || hold.method === request.method) ? hold : undefined;
    if (holding?.mode === "before") {
      held.add(res);
      return;
    }
    let fault = faults.find((f) => !f.method || f.method === request.method);
    if (fault?.skip) {
      fault.skip--;
      fault = undefined;
    }
    let answer: Answer | undefined;
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      answer = fault;
    } else {
      answer = route(request);
    }
    if (holding?.mode === "after") {
      held.add(res);
      return;
    }
    if (!answer) {
      unexpected.push(`${request.method} ${request.path}`);
      answer = { status: 404, body: { message: "Not Found" } };
    }
    send(res, answer);
  }

  function send(res: ServerResponse, answer: Answer): void {
    const text = typeof answer.body === "string";
    const payload =
      answer.body === undefined ? "" : text ? (answer.body as string) : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": text ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(payload),
      ...answer.headers,
    });
    res.end(payload);
  }

  return {
    origin,
    requests,
    /** requests the fake has no route for; tests assert it stays empty */
    unexpected,
    fail(fault: Fault): void {
      faults.push(fault);
    },
    hold(mode: "before" | "after", method?: string): void {
      hold = { mode, ...(method ? { method } : {}) };
    },
    /** stops holding; held requests are dropped (their clients gave up) */
    release(): void {
      hold = undefined;
      for (const res of held) res.destroy();
      held.clear();
    },
    /** resolves once the fake has received `count` requests in all */
    async received(count: number): Promise<void> {
      while (requests.length < count)
        await new Promise<void>((resolve) => {
          const w = () => {
            waiters.delete(w);
            resolve();
          };
          waiters.add(w);
        });
    },
    count: (method: string, path: RegExp) =>
      requests.filter((r) => r.method === method && path.test(r.path)).length,
    async close(): Promise<void> {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

export type TrackerHttp = Awaited<ReturnType<typeof startTrackerHttp>>;
