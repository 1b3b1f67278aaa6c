import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Incoming } from "../../src/core/incoming.ts";
import type { ChatSurface } from "../../src/core/surface.ts";

/**
 * What a test needs to check a chat surface against its platform (a fake server, or the
 * terminal's output): the surface, a room the bot is in, and ways to read back what people see.
 * A new platform writes one of these and passes `surfaceContract`: that is the checklist.
 */
export interface SurfaceFixture {
  surface: ChatSurface;
  /** a room the bot is in, and a person in it */
  room: string;
  user: string;
  /** the text of a posted message as people read it now (after edits), title included */
  textOf(room: string, messageId: string): string | undefined;
  /** every text posted in the room as people read it, oldest first */
  texts(room: string): string[];
  /** what is pinned (undefined: the platform has no pins, as the terminal) */
  pinned?: (room: string) => string[];
  /** the content of files uploaded to the room */
  files(room: string): string[];
  topic?: (room: string) => string | undefined;
  name(room: string): string | undefined;
  /** people the room was made with or invited */
  invited(room: string): string[];
  /** a person accepts their invitation (undefined: an invited person is in at once) */
  accept?: (room: string, user: string) => Promise<void>;
  /** texts only `user` sees in the room (undefined: the platform shows the room everything) */
  callerOnly?: (room: string, user: string) => string[];
  /** the marks shown on a message (undefined: the platform has no quiet mark, as Slack) */
  marks?: (room: string, messageId: string) => string[];
  /** the bot leaves the room (undefined: it is in every room it hears from) */
  leave?: (room: string) => void;
  /** the platform can look up a created room by its marker (false: rooms are named by incident) */
  findsRooms: boolean;
  /** a person says something in the room (undefined: the platform has no history to read) */
  say?: (room: string, text: string) => Promise<void>;
  /** the next uploads fail (the platform refuses files; undefined: uploads cannot fail) */
  refuseUploads?: () => void;
  close(): Promise<void>;
}

const FILE = {
  name: "2023-02-23-downtime.md",
  mimeType: "text/markdown",
  content: "# Downtime\n\n- 10:05 proxy & <lb> down\n",
};

async function pages(surface: ChatSurface, room: string) {
  const all: Incoming[][] = [];
  for await (const page of surface.history(room)) all.push(page.items);
  return all;
}

/** The chat-surface contract, run against one platform. */
export function surfaceContract(platform: string, start: () => Promise<SurfaceFixture>) {
  describe(`the ${platform} chat surface`, () => {
    let f: SurfaceFixture;
    beforeEach(async () => {
      f = await start();
    });
    afterEach(async () => {
      await f.close();
    });

    it("posts a titled message with its text as typed, and edits it in place", async () => {
      const id = await f.surface.post(
        f.room,
        { title: "INC-1: a & <b>", text: "• SEV2 & <rising>" },
        { visibility: "channel" },
      );
      expect(id).toBeDefined();
      expect(f.textOf(f.room, id!)).toContain("INC-1: a & <b>");
      expect(f.textOf(f.room, id!)).toContain("SEV2 & <rising>");
      await f.surface.edit(f.room, id!, { title: "INC-1: a & <b>", text: "SEV1 now" });
      expect(f.textOf(f.room, id!)).toContain("SEV1 now");
      expect(f.textOf(f.room, id!)).not.toContain("rising");
    });

    it("renders a pointer to a room and a mention of a person", async () => {
      await f.surface.post(
        f.room,
        { text: ["see ", { room: f.room, name: "INC-1: Downtime" }, " with ", { user: f.user }] },
        { visibility: "channel" },
      );
      const said = f.texts(f.room).at(-1)!;
      expect(said.startsWith("see ")).toBe(true);
      expect(said).toContain(" with ");
      expect(said.length).toBeGreaterThan("see  with ".length);
    });

    it("pins a message it posted", async () => {
      const id = await f.surface.post(f.room, { text: "card" }, { visibility: "channel" });
      await f.surface.pin(f.room, id!);
      await f.surface.pin(f.room, id!); // twice is harmless
      if (f.pinned) expect(f.pinned(f.room).filter((p) => p === id)).toHaveLength(1);
    });

    it("posts the same keyed message once when it promises to", async () => {
      const options = { visibility: "channel", key: "contract-once" } as const;
      await f.surface.post(f.room, { text: "only once" }, options);
      await f.surface.post(f.room, { text: "only once" }, options);
      const copies = f.texts(f.room).filter((t) => t.includes("only once"));
      expect(copies).toHaveLength(f.surface.idempotentPosts ? 1 : 2);
    });

    it("uploads a file as it is, or says why not; posts it as text when uploads fail", async () => {
      expect(await f.surface.upload(f.room, FILE)).toEqual({ ok: true });
      expect(f.files(f.room).some((c) => c.includes("proxy & <lb> down"))).toBe(true);

      if (f.refuseUploads) {
        f.refuseUploads();
        const refused = await f.surface.upload(f.room, { ...FILE, name: "again.md" });
        expect(refused.ok).toBe(false);
        if (!refused.ok) expect(refused.reason).not.toBe("");
      }
      const big = {
        ...FILE,
        content: Array.from({ length: 3000 }, (_, i) => `- line ${i} & <x>`).join("\n"),
      };
      expect(await f.surface.postText(f.room, big)).toEqual({ ok: true });
      const text = [...f.texts(f.room), ...f.files(f.room)].join("\n");
      for (const i of [0, 1500, 2999]) expect(text).toContain(`- line ${i} & <x>`);
    });

    it("creates an incident's room with its topic and the caller invited, and renames it", async () => {
      const room = await f.surface.createRoom({
        incident: { id: 7, title: "Disk full" },
        topic: "SEV2 · investigating",
        invite: [f.user],
        marker: "hindsight-contract-inc-7",
      });
      if (f.topic) expect(f.topic(room)).toContain("SEV2 · investigating");
      expect(f.name(room)?.toLowerCase()).toMatch(/7.*disk.full/);
      expect(f.invited(room)).toContain(f.user);
      // A crash between creating the room and recording it must not make a second one.
      const found = await f.surface.findRoom("hindsight-contract-inc-7");
      expect(found).toBe(f.findsRooms ? room : undefined);
      expect(await f.surface.findRoom("hindsight-contract-inc-8")).toBeUndefined();

      await f.surface.setTopic(room, "SEV1 · identified");
      if (f.topic) expect(f.topic(room)).toContain("SEV1 · identified");
      await f.surface.rename(room, { id: 7, title: "Disk really full" });
      expect(f.name(room)?.toLowerCase()).toMatch(/7.*disk.really.full/);
    });

    it("invites a person to a room, and inviting someone already in is harmless", async () => {
      const room = await f.surface.createRoom({
        incident: { id: 9, title: "Invites" },
        topic: "SEV3",
        invite: [],
        marker: "hindsight-contract-inc-9",
      });
      expect(f.invited(room)).not.toContain(f.user);
      await f.surface.invite(room, f.user);
      expect(f.invited(room)).toContain(f.user);
      await f.accept?.(room, f.user);
      await f.surface.invite(room, f.user);
      await f.surface.invite(room, f.user);
    });

    it("joins a room before posting there, harmless when already in", async () => {
      f.leave?.(f.room);
      await f.surface.join(f.room);
      await f.surface.join(f.room);
      const id = await f.surface.post(f.room, { text: "joined" }, { visibility: "channel" });
      expect(f.textOf(f.room, id!)).toContain("joined");
    });

    it("shows a caller-only answer to the caller, and nobody else where it can", async () => {
      await f.surface.post(
        f.room,
        { text: "only for you & <them>" },
        { visibility: "caller", user: f.user },
      );
      const everyone = f.texts(f.room).filter((t) => t.includes("only for you & <them>"));
      if (f.callerOnly) {
        expect(f.callerOnly(f.room, f.user).filter((t) => t.includes("only for you"))).toHaveLength(
          1,
        );
        expect(everyone).toEqual([]);
      } else {
        expect(everyone).toHaveLength(1);
      }
    });

    it("marks a filed message quietly where the platform can", async () => {
      const id = await f.surface.post(
        f.room,
        { text: "timeline: proxy down" },
        { visibility: "channel" },
      );
      await f.surface.acknowledge(f.room, id!, "timeline");
      if (f.marks) expect(f.marks(f.room, id!)).toEqual([expect.stringMatching(/\S/)]);
      // no mark is a post: the room reads the same
      expect(f.texts(f.room).filter((t) => t.includes("proxy down"))).toHaveLength(1);
    });

    it("reads a room's history oldest first, a page at a time, people's messages only", async () => {
      if (!f.say) {
        // A platform without history (the terminal) reads none.
        expect(await pages(f.surface, f.room)).toEqual([]);
        return;
      }
      const said = Array.from({ length: 250 }, (_, i) => `note ${i}`);
      for (const text of said) await f.say(f.room, text);
      await f.surface.post(f.room, { text: "the bot's own" }, { visibility: "channel" });
      const read = await pages(f.surface, f.room);
      expect(read.length).toBeGreaterThan(1);
      const texts = read
        .flat()
        .flatMap((i) => (i.kind === "said" ? [i.invocation.text] : []))
        .filter((t) => t.startsWith("note ") || t === "the bot's own");
      expect(texts).toEqual(said);
      const first = read.flat().find((i) => i.kind === "said");
      expect(first?.kind === "said" && first.invocation.platform).toBe(f.surface.platform);
    });
  });
}
