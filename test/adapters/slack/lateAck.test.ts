import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../src/clock.ts";
import type { Bot } from "../../../src/core/bot.ts";
import {
  declareIncident,
  HARNESS_NOW,
  type SlackHarness,
  startSlackHarness,
} from "./slackHarness.ts";

let h: SlackHarness;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

describe("Slack: a slash command acknowledged after Slack's 3 s deadline", () => {
  /** A command that waited on the database (a backup holding the lock, say) for `ms`. */
  const slowOn =
    (clock: ReturnType<typeof fixedClock>, command: string, ms: number) =>
    (bot: Bot): Bot => ({
      ...bot,
      handle: (invocation, options) => {
        const result = bot.handle(invocation, options);
        if (invocation.text.startsWith(command)) clock.advance(ms);
        return result;
      },
    });
  /** A harness where `command` waits `ms` on the database, and an incident's channel. */
  async function slowHarness(command: string, ms: number, title = "Slow disk") {
    const clock = fixedClock(HARNESS_NOW);
    h = await startSlackHarness({ clock, wrapBot: slowOn(clock, command, ms) });
    return declareIncident(h, title);
  }
  const answersOf = (text: string) =>
    h.fake.responses
      .map((r) => r.body as { response_type?: string; text?: string })
      .filter((b) => b.text?.includes(text));

  it("is answered again through its response_url, once, and not again after a restart", async () => {
    const channel = await slowHarness("/timeline", 4000);
    const add = await h.command("/timeline", "add 11:05 proxy down", {
      channel_id: channel,
      trigger_id: "trigger-slow",
    });
    expect(add.ack?.text).toContain("proxy down");
    await h.adapter.idle();
    expect(answersOf("proxy down")).toEqual([
      expect.objectContaining({ response_type: "in_channel" }),
    ]);
    await new Promise((resolve) => setImmediate(resolve)); // the unmarking waits for the burst
    expect(h.app.bot.isUnanswered("slack", "command:trigger-slow")).toBe(false);
    expect(h.logs.some((l) => String(l.msg).includes("after Slack's deadline"))).toBe(true);

    await h.restart();
    await h.adapter.idle();
    expect(answersOf("proxy down")).toHaveLength(1);
    expect(h.app.repos.timeline.list(1).filter((e) => e.text === "proxy down")).toHaveLength(1);
  });

  it("stays marked when the late answer is refused too, and the next start answers it", async () => {
    const channel = await slowHarness("/timeline", 4000);
    h.fake.refuseResponses(1);
    await h.command("/timeline", "add 11:05 proxy down", {
      channel_id: channel,
      trigger_id: "trigger-refused",
    });
    await h.adapter.idle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(answersOf("proxy down")).toEqual([]);
    expect(h.app.bot.isUnanswered("slack", "command:trigger-refused")).toBe(true);

    await h.restart();
    await h.adapter.idle();
    expect(answersOf("proxy down")).toHaveLength(1);
    expect(h.app.bot.isUnanswered("slack", "command:trigger-refused")).toBe(false);
  });

  it("answers again without doing the command's follow-up twice", async () => {
    // Once on time, once late: the status update goes out as often either way.
    const posted = () =>
      h.fake
        .callsTo("chat.postMessage")
        .filter((c) => JSON.stringify(c.args).includes("failover done")).length;
    const run = async (ms: number) => {
      const channel = await slowHarness("/incident update", ms);
      await h.command("/incident", "update failover done", { channel_id: channel });
      await h.adapter.idle();
      const count = posted();
      const answers = h.fake.responses.length;
      expect(h.fake.unexpected).toEqual([]);
      await h.stop();
      return { count, answers };
    };
    const onTime = await run(0);
    const late = await run(4000);
    expect(onTime.count).toBeGreaterThan(0);
    expect(late.count).toBe(onTime.count);
    expect(late.answers).toBe(onTime.answers + 1);
    h = await startSlackHarness(); // for afterEach
  });

  it("a refused command that was slow is told again to its caller only", async () => {
    const channel = await slowHarness("/action", 4000);
    await h.command("/action", "done 99", { channel_id: channel });
    await h.adapter.idle();
    expect(answersOf("99")).toEqual([expect.objectContaining({ response_type: "ephemeral" })]);
  });

  it("a command acknowledged within the deadline is not answered twice", async () => {
    const channel = await slowHarness("/timeline", 2000, "Fast enough");
    await h.command("/timeline", "add 11:05 proxy down", { channel_id: channel });
    await h.adapter.idle();
    expect(answersOf("proxy down")).toEqual([]);
  });
});
