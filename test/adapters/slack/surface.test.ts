import type { FakeCall } from "../../fakes/slackApi.ts";
import { type SurfaceFixture, surfaceContract } from "../surfaceContract.ts";
import { startSlackHarness } from "./slackHarness.ts";

/** Slack mrkdwn as people read it: entities decoded (the title's *bold* marks stay). */
const decode = (text: string | undefined) =>
  text?.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The text of preformatted rich-text blocks (how a draft goes out when uploads fail). */
function preformatted(blocks: string | undefined): string[] {
  const parsed = JSON.parse(blocks ?? "[]") as {
    elements?: { elements?: { text?: string }[] }[];
  }[];
  return parsed
    .flatMap((b) => b.elements ?? [])
    .flatMap((e) => (e.elements ?? []).map((t) => t.text ?? ""));
}

/** Slack, against the fake Web API: what the fake was asked to show is what people see. */
surfaceContract("Slack", async (): Promise<SurfaceFixture> => {
  const h = await startSlackHarness();
  const surface = h.adapter.surface;
  const calls = (method: string, room: string) =>
    h.fake.callsTo(method).filter((c) => (c.args.channel ?? c.args.channel_id) === room);
  const posts = (room: string): FakeCall[] => calls("chat.postMessage", room);
  let ts = 1677146000;
  return {
    surface,
    room: "CGENERAL",
    user: "UALICE",
    textOf(room, id) {
      const update = calls("chat.update", room)
        .filter((c) => c.args.ts === id)
        .at(-1);
      if (update) return decode(update.args.text);
      return decode(posts(room).find((c) => c.answer?.ts === id)?.args.text);
    },
    texts: (room) =>
      posts(room).flatMap((c) => [decode(c.args.text) ?? "", ...preformatted(c.args.blocks)]),
    pinned: (room) => [...new Set(calls("pins.add", room).map((c) => c.args.timestamp ?? ""))],
    files: () => [...h.fake.uploads.values()].map((u) => u.content),
    topic: (room) => calls("conversations.setTopic", room).at(-1)?.args.topic,
    name: (room) => [...h.fake.channels.entries()].filter(([, id]) => id === room).at(-1)?.[0],
    invited: (room) =>
      calls("conversations.invite", room)
        .filter((c) => c.answer?.ok === true)
        .map((c) => c.args.users ?? ""),
    callerOnly: (room, user) =>
      calls("chat.postEphemeral", room)
        .filter((c) => c.args.user === user)
        .map((c) => decode(c.args.text) ?? ""),
    leave: (room) => h.fake.outsideOf.add(room),
    findsRooms: true,
    async say(room, text) {
      const history = h.fake.history.get(room) ?? [];
      history.push({ type: "message", user: "UBOB", text, ts: `${++ts}.000100` });
      h.fake.history.set(room, history);
    },
    refuseUploads: () => h.fake.failOnce("files.getUploadURLExternal", "missing_scope", 10),
    close: () => h.stop(),
  };
});
