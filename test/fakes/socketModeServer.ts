import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's Socket Mode endpoint on loopback: says hello to each connection, sends envelopes the
 * test writes, and keeps what the client sends back (acks) for the test to read.
 */
export async function startSocketModeServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const received: Record<string, unknown>[] = [];
  /** the close code of each connection that ended (1006: dropped without a closing handshake) */
  const closes: number[] = [];
  const waiting = new Set<() => void>();
  let socket: WebSocket | undefined;
  let connected: () => void = () => {};
  const firstConnection = new Promise<void>((resolve) => {
    connected = resolve;
  });

  // Like Slack, the server never ends a connection by itself: it stays open until the client
  // closes it (or the test's close() drops it).
  server.on("connection", (ws) => {
    socket = ws;
    ws.on("close", (code) => closes.push(code));
    ws.on("message", (data) => {
      received.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const w of waiting) w();
    });
    ws.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A1" } }),
    );
    connected();
  });

  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/?ticket=test`,
    connected: firstConnection,
    received,
    closes,
    send(envelope: Record<string, unknown>): void {
      if (!socket) throw new Error("no Socket Mode client connected");
      socket.send(JSON.stringify(envelope));
    },
    /** The client's message acknowledging this envelope id. */
    ackFor(envelopeId: string): Promise<Record<string, unknown>> {
      return new Promise((resolve) => {
        const check = () => {
          const ack = received.find((m) => m.envelope_id === envelopeId);
          if (!ack) return;
          waiting.delete(check);
          resolve(ack);
        };
        waiting.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
