import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOT, incidentRoom, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

describe("Matrix restart safety", () => {
  beforeEach(async () => {
    h = await matrixHarness();
  });

  it("after a restart collects what was said while down and runs each command once", async () => {
    const { room } = await incidentRoom(h);
    await h.stopBot();
    // More than one /sync returns per room (the harness limits timelines to 10): a gap to page.
    const said = Array.from({ length: 14 }, (_, i) => h.world.say(room, ALICE, `note ${i}`));
    h.world.say(room, ALICE, "!timeline add 08:40 database failover");
    const { repos } = await h.startBot();
    await h.settled();

    for (const m of said)
      expect(repos.messages.byEvent("matrix", m.event_id)?.text).toBe(m.content.body);
    expect(repos.messages.count(1)).toBe(14);
    const failovers = () => repos.timeline.list(1).filter((e) => e.text === "database failover");
    expect(failovers()).toHaveLength(1);
    const replies = () =>
      h.notices(room).filter((c) => String(c.body).includes("database failover"));
    expect(replies()).toHaveLength(1);

    // A second restart (nothing new said) replays nothing.
    await h.stopBot();
    const again = await h.startBot();
    h.world.say(room, ALICE, "one more");
    await h.settled();
    expect(again.repos.messages.count(1)).toBe(15);
    expect(again.repos.timeline.list(1).filter((e) => e.text === "database failover")).toHaveLength(
      1,
    );
    expect(replies()).toHaveLength(1);
  });

  it("on the very first start does not act on old history", async () => {
    const room = h.world.createRoom(ALICE, { name: "ops" });
    h.world.invite(room, ALICE, BOT);
    h.world.join(room, BOT);
    h.world.say(room, ALICE, "!incident start Something old");
    const { repos } = await h.startBot();
    await h.settled();
    expect(repos.incidents.list({ all: true })).toEqual([]);
    expect(h.notices(room)).toEqual([]);

    h.world.say(room, ALICE, "!incident list");
    await h.settled();
    expect(h.notices(room).map((c) => String(c.body))).toHaveLength(1);
  });
});

describe("Matrix login", () => {
  it("logs in with a password once and reuses the stored token after a restart", async () => {
    h = await matrixHarness({
      env: { MATRIX_ACCESS_TOKEN: "", MATRIX_USER_ID: BOT, MATRIX_PASSWORD: "bot-password" },
    });
    await h.startBot();
    await h.settled();
    await h.stopBot();
    await h.startBot();
    await h.settled();
    expect(h.hs.logins).toBe(1);

    // A token the server forgot leads to one fresh login, not a crash.
    await h.stopBot();
    h.hs.revokeTokens(BOT);
    await h.startBot();
    await h.settled();
    expect(h.hs.logins).toBe(2);
  });
});
