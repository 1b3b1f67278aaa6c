import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOT, lobbyWithBot, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

describe("Matrix: a crash between creating the incident's room and recording it", () => {
  it("finds the room it created when the declaration is replayed, instead of making a second", async () => {
    await h.startBot();
    const lobby = await lobbyWithBot(h);
    await h.settled();
    // The homeserver creates the room; the bot dies before it hears back (and records it).
    const stalled = h.hs.faults.stallNext("createRoom", "after");
    h.world.say(lobby, ALICE, "!incident start Half-made room");
    await stalled;
    await h.stopBot();

    const { repos } = await h.startBot();
    await h.settled();
    const named = [...h.world.rooms.keys()].filter(
      (id) => h.world.find(id, (e) => e.type === "m.room.name" && e.sender === BOT).length > 0,
    );
    expect(named).toHaveLength(1);
    const bound = repos.incidents.rooms(1).filter((r) => r.platform === "matrix");
    expect(bound.map((r) => r.roomId)).toEqual(named);
    expect(h.world.membership(named[0]!, ALICE)).toBe("invite");
    // The room got its card, once.
    const cards = h.notices(named[0]!).filter((c) => String(c.body).startsWith("INC-1: Half-made"));
    expect(cards).toHaveLength(1);
  });
});
