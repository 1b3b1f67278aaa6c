import pino from "pino";
import type { CustomRoute } from "../../../src/adapters/slack/receiver.ts";
import { createSlackAdapter } from "../../../src/adapters/slack/slackAdapter.ts";
import { type App, createApp } from "../../../src/app.ts";
import { type Clock, fixedClock } from "../../../src/clock.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Bot } from "../../../src/core/bot.ts";
import type { ExportActions } from "../../../src/core/engine.ts";
import { slugify } from "../../../src/postmortem/slug.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slackApi.ts";
import {
  commandPayload,
  eventEnvelope,
  postSigned,
  type SignedOptions,
  TEST_SIGNING_SECRET,
} from "../../fakes/slackSigner.ts";

export interface HarnessOptions {
  createRooms?: boolean;
  announceChannel?: string;
  /** Socket Mode: the WebSocket URL apps.connections.open hands out */
  socketUrl?: string;
  customRoutes?: CustomRoute[];
  /** "now" for commands; a fixed winter day by default so zone offsets never depend on the date */
  clock?: Clock;
  profileBudgetMs?: number;
  stopGraceMs?: number;
  /** lets a test break one core call (a crash between a commit and its ack) */
  wrapBot?: (bot: Bot) => Bot;
  /** more settings (a tracker, say) */
  env?: Record<string, string>;
  /** the tracker export, built over the harness's own app */
  exportActions?: (app: App) => ExportActions;
}

/**
 * 2023-02-23 12:00 UTC: Berlin is UTC+1 (no summer time), New York UTC-5. Events in the tests
 * carry Slack timestamps of that morning.
 */
export const HARNESS_NOW = "2023-02-23T12:00:00Z";

/**
 * The real Bolt app and receiver on port 0 over an in-memory database, with Slack's Web API
 * answered by the loopback fake. Everything stays on 127.0.0.1.
 */
export async function startSlackHarness(options: HarnessOptions = {}) {
  const fake: FakeSlack = await startFakeSlack();
  fake.users.set("UALICE", { name: "alice", tz: "Europe/Berlin" });
  fake.users.set("UBOB", { name: "bob", tz: "America/New_York" });
  if (options.socketUrl) fake.setSocketUrl(options.socketUrl);
  const config = loadConfig({
    HINDSIGHT_DB: ":memory:",
    HINDSIGHT_CREATE_ROOMS: options.createRooms === false ? "false" : "true",
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    ...(options.socketUrl ? { SLACK_APP_TOKEN: "xapp-test-token" } : {}),
    SLACK_API_URL: fake.url,
    ...options.env,
  });
  const clock = options.clock ?? fixedClock(HARNESS_NOW);
  // Warnings and errors are kept for tests that check what the bot reports.
  const logs: Record<string, unknown>[] = [];
  const log = pino(
    { level: "warn" },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const app: App = createApp(config, log);
  let wrap = options.wrapBot ?? ((bot: Bot) => bot);
  const exportActions = options.exportActions?.(app);
  const newAdapter = () =>
    createSlackAdapter(
      config,
      { bot: wrap(app.bot), clock, log, routes: options.customRoutes, exportActions },
      {
        port: 0,
        announceChannel: options.announceChannel,
        profileBudgetMs: options.profileBudgetMs,
        stopGraceMs: options.stopGraceMs,
      },
    );
  let adapter = newAdapter();
  await adapter.start();
  let running = true;
  let events = 0;

  return {
    fake,
    app,
    clock,
    get adapter() {
      return adapter;
    },
    get endpoint() {
      return `http://127.0.0.1:${adapter.port}/slack/events`;
    },
    logs,
    /** Stops the adapter (once); the database and the fake stay up. */
    async stopBot() {
      if (!running) return;
      running = false;
      await adapter.stop();
    },
    /** A restart of the bot over the same database (what was said meanwhile is in fake.history). */
    async restart(options: { wrapBot?: (bot: Bot) => Bot } = {}) {
      await this.stopBot();
      wrap = options.wrapBot ?? ((bot: Bot) => bot);
      adapter = newAdapter();
      await adapter.start();
      running = true;
    },
    /** A signed slash command; returns the HTTP status and the parsed ack body. */
    async command(
      command: string,
      text: string,
      fields: Partial<Parameters<typeof commandPayload>[0]> = {},
      signing: SignedOptions = {},
    ) {
      const payload = commandPayload({
        command,
        text,
        response_url: `${fake.origin}/response/1`,
        ...fields,
      });
      // A field set to undefined is one Slack did not send.
      const sent = Object.entries(payload).filter(([, v]) => v !== undefined);
      const body = new URLSearchParams(sent).toString();
      const res = await postSigned(
        this.endpoint,
        body,
        "application/x-www-form-urlencoded",
        signing,
      );
      const raw = await res.text();
      return {
        status: res.status,
        ack: raw ? (JSON.parse(raw) as { response_type?: string; text?: string }) : undefined,
      };
    },
    /** A signed Events API delivery; the event id defaults to a fresh one. */
    async event(
      event: Record<string, unknown>,
      options: { eventId?: string; teamId?: string } & SignedOptions = {},
    ) {
      const eventId = options.eventId ?? `Ev${++events}`;
      const body = JSON.stringify(eventEnvelope(event, eventId, options.teamId));
      const res = await postSigned(this.endpoint, body, "application/json", options);
      return { status: res.status, eventId };
    },
    async stop() {
      await this.stopBot();
      app.db.close();
      await fake.close();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;

/** A Slack message event in a channel. */
export function messageEvent(channel: string, ts: string, text: string, user = "UALICE") {
  return { type: "message", channel, user, text, ts, event_ts: ts, channel_type: "channel" };
}

/** Slack's `message_changed`: alice's message `ts` now reads `after` (or is `message` as given). */
export function messageChanged(
  channel: string,
  ts: string,
  before: string,
  after: string,
  message: Record<string, unknown> = {},
) {
  return {
    type: "message",
    subtype: "message_changed",
    channel,
    ts: "1677146800.000200",
    message: { type: "message", user: "UALICE", text: after, ts, ...message },
    previous_message: { type: "message", user: "UALICE", text: before, ts },
  };
}

/** Slack's `message_deleted` for alice's message `ts` that read `text`. */
export function messageDeleted(channel: string, ts: string, text: string) {
  return {
    type: "message",
    subtype: "message_deleted",
    channel,
    ts: "1677146900.000300",
    deleted_ts: ts,
    previous_message: { type: "message", user: "UALICE", text, ts },
  };
}

/** `/incident start <title>` as alice, followed through; returns the new channel's id. */
export async function declareIncident(h: SlackHarness, title: string): Promise<string> {
  await h.command("/incident", `start ${title}`);
  await h.adapter.idle();
  return h.fake.channels.get(`inc-1-${slugify(title)}`)!;
}
