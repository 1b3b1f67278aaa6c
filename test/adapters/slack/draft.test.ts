import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;
let channel: string;

beforeEach(async () => {
  h = await startSlackHarness();
  await h.command("/incident", "start No files here");
  await h.adapter.idle();
  channel = h.fake.channels.get("inc-1-no-files-here")!;
});

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

/** What reached the caller through the command's response_url, newest last. */
const responses = () =>
  h.fake.responses.map((r) => r.body as { response_type: string; text: string });

describe("/postmortem draft delivery on Slack", () => {
  it("typed where the bot is not a member, uploads to the incident's channel and tells the caller where", async () => {
    h.fake.outsideOf.add("DPRIVATE");
    const draft = await h.command("/postmortem", "draft INC-1", { channel_id: "DPRIVATE" });
    expect(draft.ack?.text).toContain("Post-mortem draft of INC-1");
    await h.adapter.idle();
    const completed = h.fake.callsTo("files.completeUploadExternal");
    expect(completed.map((c) => c.args.channel_id)).toEqual(["DPRIVATE", channel]);
    expect([...h.fake.uploads.values()].at(-1)?.content).toContain("## Timeline (times in UTC)");
    expect(responses().at(-1)).toEqual({
      response_type: "ephemeral",
      text: `Could not post the draft here (Slack said: not_in_channel); it is in <#${channel}>.`,
    });
  });

  it("when neither an upload nor a message gets through, tells the caller why instead of staying silent", async () => {
    h.fake.outsideOf.add("DPRIVATE");
    h.fake.failOnce("files.getUploadURLExternal", "missing_scope", 2);
    await h.command("/postmortem", "draft INC-1", { channel_id: "DPRIVATE" });
    await h.adapter.idle();
    expect(responses().at(-1)).toEqual({
      response_type: "ephemeral",
      text: `The draft could not be delivered (Slack said: missing_scope, then not_in_channel). Invite the bot to this channel, or run it in <#${channel}>.`,
    });
  });
});
