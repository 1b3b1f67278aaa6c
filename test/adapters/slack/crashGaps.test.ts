import { afterEach, describe, expect, it } from "vitest";
import type { Bot } from "../../../src/core/bot.ts";
import {
  declareIncident,
  messageEvent,
  type SlackHarness,
  startSlackHarness,
} from "./slackHarness.ts";

let h: SlackHarness;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

/**
 * The process dies right after a command's commit, before its ack: the wrapped bot commits and
 * then throws, so whatever the adapter acks instead stands for the answer that was lost.
 */
const dieAfterCommit =
  (command: string) =>
  (bot: Bot): Bot => ({
    ...bot,
    handle: (invocation, options) => {
      const result = bot.handle(invocation, options);
      if (invocation.text.startsWith(command)) throw new Error("killed before the ack");
      return result;
    },
  });

describe("Slack: a crash between a slash command's commit and its ack", () => {
  it("answers the command through its response_url after the restart, once", async () => {
    h = await startSlackHarness({ wrapBot: dieAfterCommit("/timeline") });
    const channel = await declareIncident(h, "Lost ack");
    await h.command("/timeline", "add 11:05 proxy down", { channel_id: channel });
    expect(h.app.repos.timeline.list(1).filter((e) => e.text === "proxy down")).toHaveLength(1);
    const answers = () =>
      h.fake.responses
        .map((r) => r.body as { response_type?: string; text?: string })
        .filter((b) => b.text?.includes("proxy down"));
    expect(answers()).toEqual([]);

    await h.restart();
    await h.adapter.idle();
    expect(answers()).toHaveLength(1);
    expect(answers()[0]).toMatchObject({ response_type: "in_channel" });
    expect(answers()[0]?.text).toContain("at 2023-02-23 10:05 UTC");

    await h.restart();
    await h.adapter.idle();
    expect(answers()).toHaveLength(1);
    expect(h.app.repos.timeline.list(1).filter((e) => e.text === "proxy down")).toHaveLength(1);
  });

  it("a redelivery of the command before any restart gets the stored answer, and only once", async () => {
    // Socket Mode redelivers an envelope it saw no ack for; the same trigger_id comes again.
    let died = false;
    h = await startSlackHarness({
      wrapBot: (bot: Bot): Bot => ({
        ...bot,
        handle: (invocation, options) => {
          const result = bot.handle(invocation, options);
          if (!died && invocation.text.startsWith("/timeline")) {
            died = true;
            throw new Error("killed before the ack");
          }
          return result;
        },
      }),
    });
    const channel = await declareIncident(h, "Lost ack");
    const lost = { channel_id: channel, trigger_id: "trigger-lost" };
    await h.command("/timeline", "add 11:05 proxy down", lost);
    expect(h.app.bot.isUnanswered("slack", "command:trigger-lost")).toBe(true);

    const again = await h.command("/timeline", "add 11:05 proxy down", lost);
    expect(again.ack?.text).toContain("Added #2 at 2023-02-23 10:05 UTC: proxy down");
    await h.adapter.idle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.app.bot.isUnanswered("slack", "command:trigger-lost")).toBe(false);

    // Answered by that ack: a restart sends nothing more, and the entry is there once.
    const before = h.fake.responses.length;
    await h.restart();
    await h.adapter.idle();
    expect(h.fake.responses.slice(before)).toEqual([]);
    expect(h.app.repos.timeline.list(1).filter((e) => e.text === "proxy down")).toHaveLength(1);
  });

  /**
   * After the crash, the restart's response_url post of the answer is held; a redelivery of the
   * command (Socket Mode replays an envelope it saw no ack for) arrives meanwhile, and the held
   * post is let go, ending as `ending`, just as the redelivery reaches the bot.
   */
  async function redeliveredWhilePosting(ending: "answered" | "refused") {
    h = await startSlackHarness({ wrapBot: dieAfterCommit("/timeline") });
    const channel = await declareIncident(h, "Lost ack");
    const lost = { channel_id: channel, trigger_id: "trigger-race" };
    await h.command("/timeline", "add 11:05 proxy down", lost);
    const release = h.fake.holdResponses();
    if (ending === "refused") h.fake.refuseResponses(1);
    await h.restart({
      wrapBot: (bot: Bot): Bot => ({
        ...bot,
        handle: (invocation, options) => {
          if (invocation.eventId === "command:trigger-race") release();
          return bot.handle(invocation, options);
        },
      }),
    });
    await h.fake.until(() => h.fake.responsesWaiting() === 1 || undefined);
    const again = await h.command("/timeline", "add 11:05 proxy down", lost);
    await h.adapter.idle();
    const answers = h.fake.responses
      .map((r) => r.body as { text?: string })
      .filter((b) => b.text?.includes("proxy down"));
    return { ack: again.ack?.text ?? "", answers };
  }

  it("a redelivery while the restarted bot's answer is being posted gets an empty ack", async () => {
    const { ack, answers } = await redeliveredWhilePosting("answered");
    expect(ack).not.toContain("proxy down");
    expect(answers).toHaveLength(1);
    expect(h.app.bot.isUnanswered("slack", "command:trigger-race")).toBe(false);
    expect(h.app.repos.timeline.list(1).filter((e) => e.text === "proxy down")).toHaveLength(1);
  });

  it("a redelivery while that post is refused carries the answer itself: never none", async () => {
    const { ack, answers } = await redeliveredWhilePosting("refused");
    expect(ack).toContain("Added #2 at 2023-02-23 10:05 UTC: proxy down");
    expect(answers).toEqual([]);
    expect(h.app.bot.isUnanswered("slack", "command:trigger-race")).toBe(false);
  });

  it("leaves commands that were acknowledged alone after a restart", async () => {
    h = await startSlackHarness();
    const channel = await declareIncident(h, "Fine ack");
    const add = await h.command("/timeline", "add 11:05 proxy down", { channel_id: channel });
    expect(add.ack?.text).toContain("proxy down");
    await h.adapter.idle();
    const before = h.fake.responses.length;
    await h.restart();
    await h.adapter.idle();
    expect(h.fake.responses.slice(before)).toEqual([]);
  });
});

describe("Slack: edits and deletions made while the bot was down", () => {
  it("are applied by the catch-up: the stored text, the sections, the action items and the card follow", async () => {
    h = await startSlackHarness({ createRooms: false });
    await h.command("/incident", "start Checkout down", { channel_id: "CWAR" });
    await h.adapter.idle();
    const said = (ts: string, text: string) => ({
      type: "message" as const,
      user: "UALICE",
      text,
      ts,
    });
    const ts = ["1677146500.000100", "1677146600.000100", "1677146700.000100"] as const;
    await h.event(messageEvent("CWAR", ts[0], "impact: checkout fails"));
    await h.event(messageEvent("CWAR", ts[1], "action: rotate the certificates"));
    await h.event(messageEvent("CWAR", ts[2], "went wrong: the pager stayed silent"));
    // A thread reply: channel history never lists it, and that is no deletion.
    const reply = "1677146800.000100";
    await h.event({
      ...messageEvent("CWAR", reply, "in the thread: it was DNS"),
      thread_ts: ts[2],
    });
    await h.adapter.idle();
    expect(h.app.repos.actions.list(1).map((a) => a.text)).toEqual(["rotate the certificates"]);
    await h.stopBot();

    // While the bot was away: the first message was edited, the second deleted, one more said.
    h.fake.history.set("CWAR", [
      {
        ...said(ts[0], "impact: checkout and login fail"),
        edited: { user: "UALICE", ts: "1677147000.000100" },
      },
      said(ts[2], "went wrong: the pager stayed silent"),
      said("1677147100.000100", "lesson: page on certificate expiry"),
    ]);
    await h.restart();
    await h.adapter.idle();

    const sections = h.app.repos.sections.all(1).map((s) => [s.section, s.text]);
    expect(sections).toEqual([
      ["impact", "checkout and login fail"],
      ["went-wrong", "the pager stayed silent"],
      ["lessons", "page on certificate expiry"],
    ]);
    expect(h.app.repos.messages.byEvent("slack", `CWAR:${ts[0]}`)?.text).toBe(
      "impact: checkout and login fail",
    );
    expect(h.app.repos.messages.byEvent("slack", `CWAR:${ts[1]}`)?.deletedAt).not.toBeNull();
    expect(h.app.repos.actions.list(1)).toEqual([]);
    expect(h.app.repos.messages.byEvent("slack", `CWAR:${reply}`)?.deletedAt).toBeNull();
    expect(h.fake.callsTo("chat.update").at(-1)?.args.text).toContain("No open action items");
  });
});

/** The process dies after the incident's channel was created, before it was recorded. */
const dieBeforeBinding = (bot: Bot): Bot => ({
  ...bot,
  bindRoom: () => {
    throw new Error("killed before the channel was recorded");
  },
});

describe("Slack: a crash between creating an incident's channel and recording it", () => {
  /** `creates`: conversations.create calls the first attempt makes (a taken name costs one) */
  async function crashThenRestart(before?: (h: SlackHarness) => void, creates = 1) {
    h = await startSlackHarness({ wrapBot: dieBeforeBinding, announceChannel: "CANNOUNCE" });
    before?.(h);
    await h.command("/incident", "start Half-made channel");
    await h.adapter.idle();
    expect(h.fake.callsTo("conversations.create")).toHaveLength(creates);
    expect(h.app.repos.incidents.rooms(1)).toEqual([]);
    await h.restart();
    await h.adapter.idle();
  }

  function expectOneChannelFinished() {
    const created = h.fake.channels.get("inc-1-half-made-channel");
    expect(h.fake.callsTo("conversations.create")).toHaveLength(1);
    expect(h.app.repos.incidents.rooms(1)).toEqual([{ platform: "slack", roomId: created }]);
    const card = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === created && c.args.text?.includes("INC-1: Half-made"));
    expect(card).toHaveLength(1);
    expect(h.fake.callsTo("pins.add").filter((c) => c.args.channel === created)).toHaveLength(1);
    const announced = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "CANNOUNCE" && c.args.text?.includes("INC-1 declared"));
    expect(announced).toHaveLength(1);
    expect(h.fake.callsTo("conversations.invite").at(-1)?.args).toMatchObject({
      channel: created,
      users: "UALICE",
    });
  }

  it("finds the channel by the marker in its purpose after the restart and finishes opening it", async () => {
    await crashThenRestart();
    expect(h.fake.callsTo("conversations.setPurpose")[0]?.args.purpose).toMatch(
      /^Incident channel of INC-1, kept by Hindsight \(hindsight-\w+-inc-1\)$/,
    );
    expectOneChannelFinished();
    // Finished for good: a later start has nothing left to look up.
    const lookups = h.fake.callsTo("conversations.list").length;
    await h.restart();
    await h.adapter.idle();
    expect(h.fake.callsTo("conversations.list")).toHaveLength(lookups);
    expectOneChannelFinished();
  });

  it("finds it by name and creator when the crash came before the purpose was set", async () => {
    await crashThenRestart((h) => h.fake.failOnce("conversations.setPurpose", "ratelimited"));
    expectOneChannelFinished();
  });

  it("leaves alone an older purpose-less channel of the name, made before the attempt", async () => {
    await crashThenRestart((h) => {
      h.fake.failOnce("conversations.setPurpose", "ratelimited");
      // Another database's inc-1, from 1970, whose purpose was never set.
      h.fake.takenNames.add("inc-1-half-made-channel");
      h.fake.channelInfo.set("COLD", {
        name: "inc-1-half-made-channel",
        creator: "UBOT",
        purpose: "",
        created: 1000,
      });
    }, 2);
    const ours = h.fake.channels.get("inc-1-half-made-channel-2");
    expect(h.app.repos.incidents.rooms(1)).toEqual([{ platform: "slack", roomId: ours }]);
  });

  it("leaves alone a channel of the same name that another database's bot made", async () => {
    await crashThenRestart((h) => {
      // Another Hindsight on the same workspace, same number, already has its inc-1 channel.
      h.fake.takenNames.add("inc-1-half-made-channel");
      h.fake.channelInfo.set("COTHER", {
        name: "inc-1-half-made-channel",
        creator: "UBOT",
        purpose: "Incident channel of INC-1, kept by Hindsight (hindsight-other-inc-1)",
      });
    }, 2);
    const ours = h.fake.channels.get("inc-1-half-made-channel-2");
    expect(ours).toMatch(/^C\d+$/);
    expect(h.app.repos.incidents.rooms(1)).toEqual([{ platform: "slack", roomId: ours }]);
    expect(h.fake.callsTo("conversations.create")).toHaveLength(2);
  });
});
