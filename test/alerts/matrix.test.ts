import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { alertRoutes, everyPlatformChat } from "../../src/alerts/routes.ts";
import { loadAlertRules } from "../../src/alerts/rules.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { BOT, type MatrixHarness, matrixHarness } from "../adapters/matrix/matrixHarness.ts";
import { alertmanagerBody, probeFailure, RULES, TOKEN, tempDir } from "./support.ts";

let h: MatrixHarness | undefined;
let server: HttpServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  await h?.close();
  expect(h?.hs.unexpected ?? []).toEqual([]);
  h = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A bot over the fake homeserver with the alert endpoint in front of it. */
async function alertBot(env: Record<string, string> = {}) {
  h = await matrixHarness({ env });
  const { app, adapter } = await h.startBot();
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "rules.yaml"), RULES);
  const log = pino({ level: "silent" });
  const alerts = alertRoutes({
    token: TOKEN,
    rules: loadAlertRules(join(dir, "rules.yaml")).rules!,
    bot: app.bot,
    chat: everyPlatformChat([adapter], log),
    log,
  });
  server = await startHttpServer(alerts.routes, { port: 0, host: "127.0.0.1" }, log);
  const post = async (body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${server!.port}/alerts/alertmanager`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    await alerts.idle();
    return res.json();
  };
  return { app, post, world: h.world };
}

describe("alerts on Matrix", () => {
  it("an alert's incident gets a room of its own with nobody invited, its card pinned; later alerts are posted there", async () => {
    const { app, post, world } = await alertBot();
    expect(await post(alertmanagerBody())).toMatchObject({ outcome: "declared" });
    const [room] = app.bot.roomsOf(1, "matrix");
    expect(room).toBeDefined();
    const name = world.room(room!).state.get("m.room.name\u0000")?.content.name;
    expect(String(name)).toContain("ProbeFailure on https://server.example.org");
    // nobody but the bot: no chat user declared it
    const invites = world.find(
      room!,
      (e) => e.type === "m.room.member" && e.content.membership === "invite",
    );
    expect(invites).toEqual([]);
    const pinned = world.room(room!).state.get("m.room.pinned_events\u0000")?.content
      .pinned as string[];
    expect(pinned).toHaveLength(1);

    const second = probeFailure({
      labels: { ...probeFailure().labels, instance: "https://other.example.org" },
      annotations: {},
      startsAt: "2023-02-06T13:12:30Z",
      fingerprint: "2b41cb82ddb3a320",
    });
    expect(await post(alertmanagerBody({ alerts: [probeFailure(), second] }))).toMatchObject({
      outcome: "added",
      recorded: 1,
    });
    const lines = world
      .find(room!, (e) => e.sender === BOT && e.content.msgtype === "m.notice")
      .map((e) => String(e.content.body));
    expect(lines).toContain(
      "🔔 Alertmanager: alert ProbeFailure firing on https://other.example.org (2023-02-06 13:12:30 UTC)",
    );
  });

  it("with MATRIX_ENCRYPT_ROOMS=always the alert's room is end-to-end encrypted, its card too", async () => {
    const { app, post, world } = await alertBot({ MATRIX_ENCRYPT_ROOMS: "always" });
    expect(await post(alertmanagerBody())).toMatchObject({ outcome: "declared" });
    const [room] = app.bot.roomsOf(1, "matrix");
    const state = world.room(room!).state;
    expect(state.get("m.room.encryption\u0000")?.content).toEqual({
      algorithm: "m.megolm.v1.aes-sha2",
    });
    const pinned = state.get("m.room.pinned_events\u0000")!.content.pinned as string[];
    expect(world.find(room!, (e) => e.event_id === pinned[0]).map((e) => e.type)).toEqual([
      "m.room.encrypted",
    ]);
  });
});
