import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/adapters/slack/slackAdapter.ts";
import { createApp } from "../../../src/app.ts";
import { systemClock } from "../../../src/clock.ts";
import { loadConfig } from "../../../src/config.ts";
import { startFakeSlack } from "../../fakes/slackApi.ts";
import { type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness | undefined;

afterEach(async () => {
  if (h) expect(h.fake.unexpected).toEqual([]);
  await h?.stop();
  h = undefined;
});

const healthz = {
  path: "/healthz",
  method: "GET",
  handler: (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200).end("ok");
  },
};

describe("Slack adapter lifecycle", () => {
  it("serves custom routes on the HTTP receiver's port and reports health", async () => {
    h = await startSlackHarness({ customRoutes: [healthz] });
    expect(h.adapter.healthy()).toBe(true);
    const res = await fetch(`http://127.0.0.1:${h.adapter.port}/healthz`);
    expect(await res.text()).toBe("ok");
  });

  it("refuses commands from another workspace, caller only, without storing anything", async () => {
    h = await startSlackHarness();
    const other = await h.command("/incident", "start Not ours", { team_id: "TOTHER" });
    expect(other.ack?.response_type).toBe("ephemeral");
    expect(h.app.repos.incidents.list({ all: true })).toEqual([]);
  });

  it("without a response_url (or a users.info answer) the incident channel still gets its pinned summary", async () => {
    h = await startSlackHarness();
    const start = await h.command("/incident", "start Quiet", {
      response_url: undefined,
      user_id: "UNOBODY",
    });
    expect(start.ack?.text).toContain("Declared INC-1");
    await h.adapter.idle();
    expect(h.fake.callsTo("pins.add")).toHaveLength(1);
    await h.command("/incident", "INC-1 sev 2", { user_id: "UNOBODY" });
    await h.adapter.idle();
    // The failed profile lookup is remembered rather than repeated for every command.
    expect(h.fake.callsTo("users.info")).toHaveLength(1);
  });

  it("stops the start with one clear line when Slack refuses the bot token", async () => {
    const fake = await startFakeSlack();
    fake.failOnce("auth.test", "invalid_auth");
    const app = createApp(loadConfig({ HINDSIGHT_DB: ":memory:" }), pino({ level: "silent" }));
    const adapter = new SlackAdapter({
      bot: app.bot,
      clock: systemClock,
      log: pino({ level: "silent" }),
      botToken: "xoxb-refused",
      signingSecret: "s",
      apiUrl: fake.url,
      port: 0,
    });
    await expect(adapter.start()).rejects.toThrow(
      "Slack refused SLACK_BOT_TOKEN (invalid_auth): check the bot token",
    );
    expect(adapter.healthy()).toBe(false);
    app.db.close();
    await fake.close();
  });
});
