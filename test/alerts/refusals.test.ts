import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AlertServer,
  alertmanagerBody,
  grafanaBody,
  probeFailure,
  startAlertServer,
  TOKEN,
} from "./support.ts";

let s: AlertServer;
let before: string;
beforeEach(async () => {
  s = await startAlertServer({ now: "2023-02-06T13:10:00Z" });
  before = s.snapshot();
});
afterEach(async () => {
  // Whatever was refused, nothing was stored.
  expect(s.snapshot()).toBe(before);
  await s.stop();
});

describe("who may post", () => {
  it("refuses a missing token with 401 and the reason, before reading the body", async () => {
    const res = await fetch(`${s.base}/alerts/alertmanager`, {
      method: "POST",
      body: JSON.stringify(alertmanagerBody()),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="hindsight"');
    expect(await res.json()).toEqual({ error: "missing Authorization: Bearer <token> header" });
  });

  it("refuses a wrong token, another scheme, and a token that is only a prefix", async () => {
    for (const [authorization, error] of [
      ["Bearer not-the-token", "wrong token"],
      [`Bearer ${TOKEN.slice(0, -1)}`, "wrong token"],
      [
        `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`,
        "the Authorization header must be Bearer <token>",
      ],
    ] as const) {
      const res = await s.post("/alerts/grafana", grafanaBody(), { authorization });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error });
    }
  });

  it("answers GET with 405", async () => {
    const res = await fetch(`${s.base}/alerts/alertmanager`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("what may be posted", () => {
  it("refuses a body over 1 MiB with 413, stated or streamed", async () => {
    const big = alertmanagerBody({
      alerts: [probeFailure({ annotations: { description: "x".repeat(1024 * 1024) } })],
    });
    const res = await s.post("/alerts/alertmanager", big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: "the body is larger than 1048576 bytes" });

    // chunked: no Content-Length, the size is counted as it arrives
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.base}/alerts/alertmanager`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "transfer-encoding": "chunked" },
      });
      req.on("response", (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 17; i++) req.write("x".repeat(64 * 1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("refuses what is not an alert group with 400 and the reason", async () => {
    const cases: [string, unknown, string][] = [
      ["/alerts/alertmanager", "{not json", "the body is not JSON: "],
      ["/alerts/alertmanager", "[]", "the body must be a JSON object (one alert group)"],
      [
        "/alerts/alertmanager",
        alertmanagerBody({ version: "3" }),
        'version must be "4" (Alertmanager\'s webhook format), got "3"',
      ],
      [
        "/alerts/alertmanager",
        grafanaBody(),
        'version must be "4" (Alertmanager\'s webhook format), got "1": a Grafana contact point posts to /alerts/grafana',
      ],
      [
        "/alerts/alertmanager",
        alertmanagerBody({ groupKey: undefined }),
        "groupKey must be a string",
      ],
      ["/alerts/grafana", { ...grafanaBody(), alerts: "none" }, "alerts must be a list of alerts"],
      [
        "/alerts/alertmanager",
        alertmanagerBody({ alerts: [probeFailure({ status: "pending" })] }),
        "alerts.0.status must be firing or resolved",
      ],
      [
        "/alerts/alertmanager",
        alertmanagerBody({ alerts: [probeFailure({ startsAt: "yesterday" })] }),
        "alerts.0.startsAt must be a time like 2026-03-02T10:00:00Z",
      ],
      [
        "/alerts/alertmanager",
        alertmanagerBody({ alerts: [probeFailure({ labels: { alertname: 7 } })] }),
        "alerts.0.labels.alertname must be a string",
      ],
    ];
    for (const [path, body, reason] of cases) {
      const res = await s.post(path, body);
      expect(res.status, reason).toBe(400);
      expect(String(res.body.error)).toContain(reason);
    }
  });
});
