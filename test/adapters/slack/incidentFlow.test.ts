import { afterEach, describe, expect, it } from "vitest";
import { REFERENCE_HEADINGS } from "../../reference.ts";
import { type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

describe("Slack over HTTP: an incident from /incident start to the uploaded draft", () => {
  it("creates the channel, invites the caller, pins a summary that follows changes, uploads the draft", async () => {
    h = await startSlackHarness({ announceChannel: "CANNOUNCE" });

    const start = await h.command("/incident", "start Certificate errors on OBS --sev 2");
    expect(start.status).toBe(200);
    expect(start.ack?.response_type).toBe("in_channel");
    expect(start.ack?.text).toContain("Declared INC-1: Certificate errors on OBS (SEV2)");
    await h.adapter.idle();

    const create = h.fake.callsTo("conversations.create");
    expect(create.map((c) => c.args.name)).toEqual(["inc-1-certificate-errors-on-obs"]);
    const channel = h.fake.channels.get("inc-1-certificate-errors-on-obs")!;
    expect(h.app.bot.incidentForRoom("slack", channel)?.id).toBe(1);
    expect(h.fake.callsTo("conversations.invite")[0]?.args).toMatchObject({
      channel,
      users: "UALICE",
    });
    const summary = h.fake
      .callsTo("chat.postMessage")
      .find((c) => c.args.channel === channel && c.args.text?.includes("*INC-1: Certificate"));
    expect(summary?.args.text).toContain("SEV2 · investigating");
    expect(h.fake.callsTo("pins.add")[0]?.args.channel).toBe(channel);
    const announce = h.fake.callsTo("chat.postMessage").find((c) => c.args.channel === "CANNOUNCE");
    expect(announce?.args.text).toContain(`INC-1 declared (SEV2)`);
    expect(announce?.args.text).toContain(`<#${channel}>`);
    expect(h.fake.responses[0]?.body).toMatchObject({
      text: `INC-1 has its own channel: <#${channel}>`,
    });

    // Commands typed in the incident's channel act on it; the pinned summary follows.
    const sev = await h.command("/incident", "sev 1", { channel_id: channel });
    expect(sev.ack?.response_type).toBe("in_channel");
    await h.adapter.idle();
    const update = h.fake.callsTo("chat.update").at(-1);
    expect(update?.args).toMatchObject({ channel });
    expect(update?.args.text).toContain("SEV1 · investigating");

    await h.command("/incident", "role commander <@UBOB|bob>", { channel_id: channel });
    await h.adapter.idle();
    expect(h.fake.callsTo("chat.update").at(-1)?.args.text).toContain("commander: @bob");

    // alice's profile says Europe/Berlin: on the harness's winter day a bare 11:05 is 10:05 UTC,
    // echoed back in UTC.
    const add = await h.command("/timeline", "add 11:05 proxy down", { channel_id: channel });
    expect(add.ack?.text).toContain("at 2023-02-23 10:05 UTC");
    // Slack sends what was typed with &, < and > encoded ("& <b>" arrives as "&amp; &lt;b&gt;").
    await h.command(
      "/postmortem",
      "set impact Users saw certificate errors &amp; &lt;b&gt;warnings&lt;/b&gt;",
      { channel_id: channel },
    );

    const draft = await h.command("/postmortem", "draft", { channel_id: channel });
    expect(draft.ack?.response_type).toBe("in_channel");
    expect(draft.ack?.text).toContain("Post-mortem draft of INC-1");
    await h.adapter.idle();
    const complete = h.fake.callsTo("files.completeUploadExternal")[0];
    expect(complete?.args.channel_id).toBe(channel);
    const [file] = [...h.fake.uploads.values()];
    expect(file?.filename).toBe("2023-02-23-certificate-errors-on-obs.md");
    const headings = file?.content.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual(REFERENCE_HEADINGS);
    expect(file?.content).toContain("10:05 proxy down");
    // Decoded once: the draft has what the person typed, with "<" escaped so no HTML gets through.
    expect(file?.content.split("\n")).toContain(
      "Users saw certificate errors & &lt;b>warnings&lt;/b>",
    );
  });

  it("escapes &, < and > in replies and answers errors only to the caller", async () => {
    h = await startSlackHarness();
    const bad = await h.command("/incident", "sev 9");
    expect(bad.ack?.response_type).toBe("ephemeral");
    expect(bad.ack?.text).toContain("Usage: /incident sev &lt;1-4&gt;");
    // Nothing was posted: the error went out with the ack, not through the Web API.
    expect(h.fake.calls.map((c) => c.method).filter((m) => m.startsWith("chat."))).toEqual([]);
  });

  it("names a second channel for the same title with a suffix when the name is taken", async () => {
    h = await startSlackHarness();
    h.fake.takenNames.add("inc-1-downtime");
    await h.command("/incident", "start Downtime");
    await h.adapter.idle();
    expect(h.fake.callsTo("conversations.create").map((c) => c.args.name)).toEqual([
      "inc-1-downtime",
      "inc-1-downtime-2",
    ]);
    expect(h.app.bot.incidentForRoom("slack", h.fake.channels.get("inc-1-downtime-2")!)?.id).toBe(
      1,
    );
  });

  it("with channel creation off, the current channel becomes the incident's and its history is collected", async () => {
    h = await startSlackHarness({ createRooms: false });
    h.fake.history.set("CWAR", [
      { type: "message", user: "UBOB", text: "impact: checkout is down", ts: "1677146400.000200" },
      { type: "message", bot_id: "BOTHER", text: "alert fired", ts: "1677146300.000100" },
    ]);
    const start = await h.command("/incident", "start Checkout down", { channel_id: "CWAR" });
    expect(start.ack?.text).toContain("Declared INC-1");
    await h.adapter.idle();
    expect(h.fake.callsTo("conversations.create")).toEqual([]);
    expect(h.app.bot.incidentForRoom("slack", "CWAR")?.id).toBe(1);
    expect(h.fake.callsTo("pins.add")[0]?.args.channel).toBe("CWAR");
    expect(h.app.repos.messages.count(1)).toBe(1);
    expect(h.app.repos.sections.all(1).map((s) => s.text)).toEqual(["checkout is down"]);
  });
});
