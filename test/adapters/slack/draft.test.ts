import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { declareIncident, type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;
let channel: string;

beforeEach(async () => {
  h = await startSlackHarness();
  channel = await declareIncident(h, "No files here");
});

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
});

/** What reached the caller through the command's response_url, newest last. */
const responses = () =>
  h.fake.responses.map((r) => r.body as { response_type: string; text: string });

/** The preformatted text of a rich-text message, as the fake received its JSON-encoded blocks. */
const preformatted = (blocks: string | undefined): string[] =>
  (JSON.parse(blocks ?? "[]") as { elements: { type: string; elements: { text: string }[] }[] }[])
    .flatMap((b) => b.elements)
    .filter((e) => e.type === "rich_text_preformatted")
    .flatMap((e) => e.elements.map((t) => t.text));

describe("/postmortem draft delivery on Slack", () => {
  it("when uploads are refused, posts the Markdown as code blocks that are the draft exactly", async () => {
    await h.command("/postmortem", "set impact Users saw errors & <b>warnings</b> ```sh", {
      channel_id: channel,
    });
    h.fake.failOnce("files.getUploadURLExternal", "missing_scope");
    const draft = await h.command("/postmortem", "draft", { channel_id: channel });
    expect(draft.ack?.text).toContain("Post-mortem draft of INC-1");
    await h.adapter.idle();
    const posts = h.fake.callsTo("chat.postMessage").filter((c) => c.args.blocks !== undefined);
    expect(posts.map((p) => p.args.channel)).toEqual(posts.map(() => channel));
    const posted = posts.flatMap((p) => preformatted(p.args.blocks)).join("\n");

    // The same draft, uploaded this time: the code blocks carried exactly its text.
    await h.command("/postmortem", "draft", { channel_id: channel });
    await h.adapter.idle();
    const uploaded = [...h.fake.uploads.values()].at(-1)!.content;
    expect(uploaded).toContain("```sh");
    expect(posted).toBe(uploaded);
  });

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
