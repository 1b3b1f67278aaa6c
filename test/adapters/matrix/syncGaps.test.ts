import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Bot } from "../../../src/core/bot.ts";
import { ALICE, BOT, incidentRoom, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

/** alice's ops room with the bot in it, not an incident's room */
async function lobby(): Promise<string> {
  await h.startBot();
  const room = h.world.createRoom(ALICE, { name: "ops" });
  h.world.invite(room, ALICE, BOT);
  await h.world.waitFor(
    (e) => e.room_id === room && e.state_key === BOT && e.content.membership === "join",
  );
  await h.settled();
  return room;
}

/** A sleep that never ends by itself; `asleep` resolves once the bot is in it. */
function stuckSleep() {
  let fellAsleep = () => {};
  const asleep = new Promise<void>((resolve) => {
    fellAsleep = resolve;
  });
  const sleep = () => {
    fellAsleep();
    return new Promise<void>(() => {});
  };
  return { asleep, sleep };
}

const messagesCalls = () => h.hs.requests.filter((r) => r.endsWith("/messages")).length;

describe("Matrix: what was said while the bot was down", () => {
  it.each([
    ["a 4xx", 1, 403],
    ["a 5xx on every retry", 4, 502],
  ])(
    "retries the whole batch when filling the gap fails with %s: nothing is lost",
    async (_, count, status) => {
      const { room } = await incidentRoom(h);
      await h.stopBot();
      const said = Array.from({ length: 14 }, (_, i) => h.world.say(room, ALICE, `note ${i}`));
      h.world.say(room, ALICE, "!timeline add 08:40 database failover");
      h.hs.faults.fail("messages", count, status);
      const { repos } = await h.startBot();
      await h.settled();

      expect(h.hs.faults.failedHits).toBe(count);
      for (const m of said)
        expect(repos.messages.byEvent("matrix", m.event_id)?.text).toBe(m.content.body);
      expect(repos.timeline.list(1).filter((e) => e.text === "database failover")).toHaveLength(1);
      const replies = h.notices(room).filter((c) => String(c.body).includes("database failover"));
      expect(replies).toHaveLength(1);
    },
  );

  it("keeps handling a room's other events when one of them fails", async () => {
    const { room } = await incidentRoom(h);
    await h.stopBot();
    const first = h.world.say(room, ALICE, "proxy answers 502");
    h.world.react(room, ALICE, first.event_id, "📌");
    const after = h.world.say(room, ALICE, "rolled back the proxy");
    const brokenPin = (bot: Bot): Bot => ({
      ...bot,
      pin: () => {
        throw new Error("disk I/O error");
      },
    });
    const { repos } = await h.startBot({}, brokenPin);
    await h.settled();
    expect(repos.messages.byEvent("matrix", after.event_id)?.text).toBe("rolled back the proxy");
  });

  it("fills the gap in a room that is not an incident's: a lobby's !incident start still runs", async () => {
    const room = await lobby();
    await h.stopBot();
    h.world.say(room, ALICE, "!incident start Declared while the bot was down");
    for (let i = 0; i < 12; i++) h.world.say(room, ALICE, `chatter ${i}`);
    const { repos } = await h.startBot();
    await h.settled();
    expect(repos.incidents.list({ all: true }).map((i) => i.title)).toEqual([
      "Declared while the bot was down",
    ]);
    expect(h.notices(room).filter((c) => String(c.body).startsWith("Declared INC-1"))).toHaveLength(
      1,
    );
  });

  it("finds the gap by sync token: events with a slow clock are kept, older history is not replayed", async () => {
    const old = h.world.createRoom(ALICE, { name: "ops" });
    h.world.invite(old, ALICE, BOT);
    h.world.join(old, BOT);
    h.world.say(old, ALICE, "!incident start Said before the bot ever ran");
    await h.startBot();
    await h.settled();
    const { room } = await incidentRoom(h);
    await h.stopBot();
    // A federated server whose clock is an hour behind: its events look older than ours.
    h.world.now -= 3_600_000;
    const said = Array.from({ length: 14 }, (_, i) => h.world.say(room, ALICE, `late ${i}`));
    for (let i = 0; i < 12; i++) h.world.say(old, ALICE, `ops chatter ${i}`);
    const { repos } = await h.startBot();
    await h.settled();

    for (const m of said)
      expect(repos.messages.byEvent("matrix", m.event_id)?.text).toBe(m.content.body);
    expect(repos.incidents.list({ all: true }).map((i) => i.title)).toEqual(["Downtime"]);
    expect(h.notices(old)).toEqual([]);
  });

  it("does not mistake its own profile change for a join: earlier commands run, no backfill", async () => {
    const { room } = await incidentRoom(h);
    await h.stopBot();
    h.world.say(room, ALICE, "!timeline add 08:40 database failover");
    h.world.append(room, {
      type: "m.room.member",
      sender: BOT,
      state_key: BOT,
      content: { membership: "join", displayname: "Hindsight (on call)" },
    });
    const before = messagesCalls();
    const { repos } = await h.startBot();
    await h.settled();
    expect(repos.timeline.list(1).filter((e) => e.text === "database failover")).toHaveLength(1);
    expect(
      h.notices(room).filter((c) => String(c.body).includes("database failover")),
    ).toHaveLength(1);
    expect(messagesCalls()).toBe(before);
  });
});

describe("Matrix: homeserver trouble", () => {
  it("retries a 5xx (withRetry): the draft is still uploaded as a file", async () => {
    const { room } = await incidentRoom(h);
    h.hs.faults.fail("upload", 1, 502);
    h.world.say(room, ALICE, "!postmortem draft");
    await h.settled();
    expect(h.hs.faults.failedHits).toBe(1);
    expect(h.world.find(room, (e) => e.content.msgtype === "m.file")).toHaveLength(1);
    expect(h.notices(room).some((c) => String(c.formatted_body).includes("<pre><code"))).toBe(
      false,
    );
  });

  it("stops at once while waiting out a long sync backoff", async () => {
    const waiting = stuckSleep();
    await h.startBot({ sleep: waiting.sleep });
    await h.settled();
    h.hs.faults.rateLimit("sync", 1, 600_000);
    h.world.createRoom(ALICE, { name: "wakes the long poll" });
    await waiting.asleep;
    await h.stopBot(); // would wait out retry_after_ms (10 min) before the fix
  });

  it("stops at once while a reply waits out a long rate limit", async () => {
    const { room } = await incidentRoom(h);
    await h.stopBot();
    const waiting = stuckSleep();
    await h.startBot({ sleep: waiting.sleep });
    await h.settled();
    h.hs.faults.rateLimit("upload", 1, 600_000);
    h.world.say(room, ALICE, "!postmortem draft");
    await waiting.asleep;
    await h.stopBot();
  });
});
