import { describe, expect, it } from "vitest";
import { type SurfaceFixture, surfaceContract } from "../surfaceContract.ts";
import { ALICE, BOT, lobbyWithBot, MALLORY, matrixHarness } from "./matrixHarness.ts";

type Content = Record<string, unknown>;
const relation = (c: Content) =>
  c["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;

/** Matrix, against the fake homeserver: the room's events and state are what clients show. */
surfaceContract("Matrix", async (): Promise<SurfaceFixture> => {
  const h = await matrixHarness();
  const { adapter } = await h.startBot();
  const room = await lobbyWithBot(h);
  await h.settled();
  const { world } = h;
  const state = (r: string, type: string) => world.room(r).state.get(`${type}\u0000`)?.content;
  return {
    surface: adapter.surface!,
    room,
    user: ALICE,
    textOf(r, id) {
      const edit = world
        .find(
          r,
          (e) =>
            relation(e.content)?.rel_type === "m.replace" && relation(e.content)?.event_id === id,
        )
        .at(-1);
      const content = edit
        ? (edit.content["m.new_content"] as Content)
        : world.room(r).events.find((e) => e.event_id === id)?.content;
      return content && String(content.body);
    },
    texts: (r) =>
      world
        .find(r, (e) => e.sender === BOT && e.content.msgtype === "m.notice")
        .filter((e) => relation(e.content)?.rel_type !== "m.replace")
        .map((e) => String(e.content.body)),
    pinned: (r) => (state(r, "m.room.pinned_events")?.pinned as string[] | undefined) ?? [],
    files: (r) =>
      world
        .find(r, (e) => e.content.msgtype === "m.file")
        .map((e) => world.uploads.get(String(e.content.url))?.body.toString("utf8") ?? ""),
    topic: (r) => state(r, "m.room.topic")?.topic as string | undefined,
    name: (r) => state(r, "m.room.name")?.name as string | undefined,
    invited: (r) => (world.membership(r, ALICE) === "invite" ? [ALICE] : []),
    async accept(r, user) {
      world.join(r, user);
      await h.settled();
    },
    marks: (r, id) =>
      world
        .find(r, (e) => e.type === "m.reaction" && relation(e.content)?.event_id === id)
        .map((e) => String(relation(e.content)?.key)),
    findsRooms: true,
    async say(r, text) {
      world.say(r, ALICE, text);
    },
    refuseUploads: () => {
      h.hs.failUploads = true;
    },
    close: () => h.close(),
  };
});

describe("the Matrix surface's invite", () => {
  it("counts a member as invited, but a refusal for anyone else stays a failure", async () => {
    const h = await matrixHarness();
    try {
      const { adapter } = await h.startBot();
      const room = await lobbyWithBot(h);
      await h.settled();
      const surface = adapter.surface!;
      // banned: the homeserver's 403 reaches the engine, which logs it
      h.world.append(room, {
        type: "m.room.member",
        sender: BOT,
        state_key: MALLORY,
        content: { membership: "ban" },
      });
      await expect(surface.invite(room, MALLORY)).rejects.toThrow(/banned/);
      // left: invited again, as a person who walked out can be
      h.world.join(room, ALICE);
      h.world.leave(room, ALICE);
      await surface.invite(room, ALICE);
      expect(h.world.membership(room, ALICE)).toBe("invite");
      // joined: nothing to do, and nothing sent that would change their membership
      h.world.join(room, ALICE);
      await surface.invite(room, ALICE);
      expect(h.world.membership(room, ALICE)).toBe("join");
    } finally {
      await h.close();
    }
  });
});
