import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AlertChat,
  alertRoutes,
  everyPlatformChat,
  openAlertIncidents,
} from "../../src/alerts/routes.ts";
import { loadAlertRules } from "../../src/alerts/rules.ts";
import type { Bot } from "../../src/core/bot.ts";
import type { Route } from "../../src/http/routes.ts";
import { type SlackHarness, startSlackHarness } from "../adapters/slack/slackHarness.ts";
import { alertmanagerBody, probeFailure, RULES, TOKEN, tempDir } from "./support.ts";

let h: SlackHarness | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  expect(h?.fake.unexpected ?? []).toEqual([]);
  await h?.stop();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * The alert routes served by Bolt's receiver as customRoutes (one port for Slack and the ops
 * routes), posting through the real Slack adapter to the fake Slack Web API.
 */
async function start(
  options: { crashBeforeChat?: boolean; createRooms?: boolean; wrapBot?: (bot: Bot) => Bot } = {},
) {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "rules.yaml"), RULES);
  const { rules } = loadAlertRules(join(dir, "rules.yaml"));
  // Bolt takes its routes at construction; the alert routes need the adapter it builds.
  let served: Route[] = [];
  const customRoutes = ["alertmanager", "grafana"].map((source) => ({
    path: `/alerts/${source}`,
    method: "POST",
    handler: (req: Parameters<Route["handler"]>[0], res: Parameters<Route["handler"]>[1]) =>
      served.find((r) => r.path === `/alerts/${source}`)?.handler(req, res),
  }));
  const harness = await startSlackHarness({
    announceChannel: "CANNOUNCE",
    customRoutes,
    createRooms: options.createRooms ?? true,
    ...(options.wrapBot ? { wrapBot: options.wrapBot } : {}),
  });
  h = harness;
  const log = pino({ level: "silent" });
  const chat = everyPlatformChat([harness.adapter], log);
  // The process dies after the commit and the answer, before the chat side runs.
  const none: AlertChat = { openIncident: async () => {}, postToIncidentRoom: async () => {} };
  const alerts = alertRoutes({
    token: TOKEN,
    rules: rules!,
    bot: harness.app.bot,
    chat: options.crashBeforeChat ? none : chat,
    log,
  });
  served = alerts.routes;
  const post = async (body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${harness.adapter.port}/alerts/alertmanager`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    await alerts.idle();
    await harness.adapter.idle();
    return { status: res.status, answer };
  };
  return { harness, post, chat };
}

describe("alerts on Slack's port", () => {
  it("an alert's incident gets a channel with nobody invited, its pinned card, and the announcement", async () => {
    const { harness, post } = await start();
    const res = await post(alertmanagerBody());
    expect(res).toEqual({
      status: 200,
      answer: { outcome: "declared", incident: "INC-1", recorded: 1, duplicates: 0 },
    });
    const channel = harness.fake.channels.get("inc-1-probefailure-on-https-server-example-org");
    expect(channel).toBeDefined();
    expect(harness.fake.callsTo("conversations.invite")).toEqual([]);
    const posts = harness.fake.callsTo("chat.postMessage");
    const card = posts.find((c) => c.args.channel === channel);
    expect(String(card?.args.text)).toContain("INC-1: ProbeFailure on https://server.example.org");
    expect(harness.fake.callsTo("pins.add").map((c) => c.args.channel)).toEqual([channel]);
    const announced = posts.filter((c) => c.args.channel === "CANNOUNCE").map((c) => c.args.text);
    expect(announced).toEqual([
      `🚨 INC-1 declared (SEV1): ProbeFailure on https://server.example.org by Alertmanager. Follow it in <#${channel}>. No commander yet: /incident role commander me`,
    ]);

    // a later alert of the group: one line in the channel, and the card follows
    const edits = harness.fake.callsTo("chat.update").length;
    const second = probeFailure({
      labels: { ...probeFailure().labels, instance: "https://other.example.org" },
      annotations: {},
      startsAt: "2023-02-06T13:12:30Z",
      fingerprint: "2b41cb82ddb3a320",
    });
    await post(alertmanagerBody({ alerts: [probeFailure(), second] }));
    const lines = harness.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.text));
    expect(lines.at(-1)).toBe(
      "🔔 Alertmanager: alert ProbeFailure firing on https://other.example.org (2023-02-06 13:12:30 UTC)",
    );
    expect(harness.fake.callsTo("chat.update").length).toBeGreaterThan(edits);
  });
});

describe("a big group", () => {
  it("goes to the channel in parts under Slack's message limit, every alert in order", async () => {
    const { harness, post } = await start();
    await post(alertmanagerBody());
    const channel = harness.fake.channels.get("inc-1-probefailure-on-https-server-example-org");
    const many = Array.from({ length: 60 }, (_, i) =>
      probeFailure({
        labels: { ...probeFailure().labels, instance: `https://node-${i}.example.org` },
        annotations: { summary: `node ${i} down: ${"x".repeat(900)}` },
        startsAt: new Date(Date.parse("2023-02-06T13:12:00Z") + i * 1000).toISOString(),
        fingerprint: `f${i}`,
      }),
    );
    const res = await post(alertmanagerBody({ alerts: many }));
    expect(res.answer).toMatchObject({ outcome: "added", recorded: 60 });
    const parts = harness.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === channel && String(c.args.text).startsWith("🔔"))
      .map((c) => String(c.args.text));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThan(40_000);
    const nodes = parts.join("\n").match(/node-\d+\.example/g) ?? [];
    expect(nodes).toEqual(many.map((_, i) => `node-${i}.example`));
  });
});

describe("with HINDSIGHT_CREATE_ROOMS off", () => {
  it("there is no room the alert came from: the incident is announced, nothing else is posted", async () => {
    const { harness, post } = await start({ createRooms: false });
    expect((await post(alertmanagerBody())).answer).toMatchObject({ outcome: "declared" });
    expect(harness.fake.callsTo("conversations.create")).toEqual([]);
    expect(harness.fake.callsTo("pins.add")).toEqual([]);
    expect(
      harness.fake.callsTo("chat.postMessage").map((c) => [c.args.channel, c.args.text]),
    ).toEqual([
      [
        "CANNOUNCE",
        "🚨 INC-1 declared (SEV1): ProbeFailure on https://server.example.org by Alertmanager. No commander yet: /incident role commander me",
      ],
    ]);
  });
});

describe("after a crash between the commit and the chat side", () => {
  it("the start opens the alert's incident once: one channel, one card, one announcement", async () => {
    const { harness, post, chat } = await start({ crashBeforeChat: true });
    expect((await post(alertmanagerBody())).answer).toMatchObject({ outcome: "declared" });
    expect(harness.fake.callsTo("conversations.create")).toEqual([]);
    // the restart's pass, then a second start's: the engine remembers what it opened
    await openAlertIncidents(harness.app.bot, chat);
    await harness.adapter.idle();
    await openAlertIncidents(harness.app.bot, chat);
    await harness.adapter.idle();
    expect(harness.fake.callsTo("conversations.create")).toHaveLength(1);
    expect(harness.fake.callsTo("pins.add")).toHaveLength(1);
    const announced = harness.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "CANNOUNCE");
    expect(announced).toHaveLength(1);
  });

  it("a channel Slack would not create is tried again at the next start", async () => {
    const { harness, post, chat } = await start();
    harness.fake.failOnce("conversations.create", "restricted_action");
    expect((await post(alertmanagerBody())).answer).toMatchObject({ outcome: "declared" });
    expect(harness.app.bot.roomsOf(1, "slack")).toEqual([]);
    await openAlertIncidents(harness.app.bot, chat);
    await harness.adapter.idle();
    expect(harness.app.bot.roomsOf(1, "slack")).toHaveLength(1);
    expect(harness.fake.callsTo("pins.add")).toHaveLength(1);
  });

  it("a channel created just before a crash is found again at the restart and its opening finished", async () => {
    // The process dies after Slack made the channel, before the bot recorded it.
    const dieBeforeBinding = (bot: Bot): Bot => ({
      ...bot,
      bindRoom: () => {
        throw new Error("killed before the channel was recorded");
      },
    });
    const { harness, post } = await start({ wrapBot: dieBeforeBinding });
    expect((await post(alertmanagerBody())).answer).toMatchObject({ outcome: "declared" });
    expect(harness.fake.callsTo("conversations.create")).toHaveLength(1);
    expect(harness.app.bot.roomsOf(1, "slack")).toEqual([]);
    await harness.restart();
    await harness.adapter.idle();
    const channel = harness.fake.channels.get("inc-1-probefailure-on-https-server-example-org");
    expect(harness.fake.callsTo("conversations.create")).toHaveLength(1);
    expect(harness.app.bot.roomsOf(1, "slack")).toEqual([channel]);
    expect(harness.fake.callsTo("pins.add").map((c) => c.args.channel)).toEqual([channel]);
    expect(harness.fake.callsTo("conversations.invite")).toEqual([]);
    const announced = harness.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "CANNOUNCE")
      .map((c) => String(c.args.text));
    expect(announced.at(-1)).toContain(`by Alertmanager. Follow it in <#${channel}>.`);
  });
});
