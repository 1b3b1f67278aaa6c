import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOT, incidentRoom, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

const relation = (content: Record<string, unknown>) =>
  content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;

describe("Matrix: a crash between a command and its reply", () => {
  it.each([
    ["before the homeserver got the reply", "before"],
    ["after the homeserver stored it, before the bot heard back", "after"],
  ] as const)("answers exactly once after a restart (crash %s)", async (_, when) => {
    const { room } = await incidentRoom(h);
    const stalled = h.hs.faults.stallNext("send", when);
    h.world.say(room, ALICE, "!timeline add 08:40 database failover");
    await stalled;
    await h.stopBot(); // the process dies with the reply in flight
    const { repos } = await h.startBot();
    await h.settled();
    expect(repos.timeline.list(1).filter((e) => e.text === "database failover")).toHaveLength(1);
    const replies = h.notices(room).filter((c) => String(c.body).includes("database failover"));
    expect(replies).toHaveLength(1);
  });

  it("creates the incident's room once when the declaration is replayed", async () => {
    await h.startBot();
    const lobby = h.world.createRoom(ALICE, { name: "ops" });
    h.world.invite(lobby, ALICE, BOT);
    await h.world.waitFor((e) => e.room_id === lobby && e.state_key === BOT);
    await h.settled();
    const stalled = h.hs.faults.stallNext("send", "before");
    h.world.say(lobby, ALICE, "!incident start Replayed declaration");
    await stalled;
    await h.stopBot();
    await h.startBot();
    await h.settled();
    const created = h.hs.requests.filter((r) => r.endsWith("/createRoom"));
    expect(created).toHaveLength(1);
    expect(
      h.notices(lobby).filter((c) => String(c.body).startsWith("Declared INC-1")),
    ).toHaveLength(1);
  });
});

describe("Matrix: message text", () => {
  it("keeps a typed quote; strips only a reply's quoted fallback", async () => {
    const { room, repos } = await incidentRoom(h);
    const quote = h.world.say(room, ALICE, "> 502s from lb\nsince 08:10");
    const onlyQuote = h.world.say(room, ALICE, "> upstream timed out");
    const reply = h.world.say(room, ALICE, "> <@bob:fake.test> is it the lb?\n\nyes, the lb", {
      "m.relates_to": { "m.in_reply_to": { event_id: quote.event_id } },
    });
    await h.settled();
    const text = (id: string) => repos.messages.byEvent("matrix", id)?.text;
    expect(text(quote.event_id)).toBe("> 502s from lb\nsince 08:10");
    expect(text(onlyQuote.event_id)).toBe("> upstream timed out");
    expect(text(reply.event_id)).toBe("yes, the lb");
  });

  it("does not let a replayed older edit undo a newer one", async () => {
    const { room, repos } = await incidentRoom(h);
    const said = h.world.say(room, ALICE, "impact: some users");
    const older = h.world.edit(room, ALICE, said.event_id, "impact: EU users");
    h.world.edit(room, ALICE, said.event_id, "impact: all users");
    await h.settled();
    h.world.replay(older);
    await h.settled();
    expect(repos.messages.byEvent("matrix", said.event_id)?.text).toBe("impact: all users");
  });
});

describe("Matrix: the inline draft", () => {
  it("splits a draft too large for one event over several notices", async () => {
    const { room } = await incidentRoom(h);
    h.hs.failUploads = true;
    // Each tagged message within /postmortem add's 4 000 characters (a longer one files nothing);
    // eleven of them make a draft far beyond one 64 KiB event.
    for (let i = 0; i < 11; i++) h.world.say(room, ALICE, `went wrong: ${"x<y ".repeat(990)}`);
    h.world.say(room, ALICE, "!postmortem draft");
    await h.settled();
    const parts = h.world.find(
      room,
      (e) => e.sender === BOT && String(e.content.formatted_body ?? "").includes("<pre><code"),
    );
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(65_536);
    const whole = parts.map((p) => String(p.content.body)).join("\n");
    expect(whole).toContain("## Timeline (times in UTC)");
    // Nothing left out: every "x" of the long section is there (the draft escapes the "<").
    expect(whole.split("x").length - 1).toBeGreaterThanOrEqual(10_000);
  });
});

describe("Matrix: the pinned summary card", () => {
  it("lists an action item filed with a tagged message", async () => {
    const { room } = await incidentRoom(h);
    h.world.say(room, ALICE, "action: renew the certificate");
    const edit = await h.world.waitFor(
      (e) => e.room_id === room && relation(e.content)?.rel_type === "m.replace",
    );
    const card = edit.content["m.new_content"] as { body: string };
    expect(card.body).toContain("renew the certificate");
  });
});

describe("Matrix with HINDSIGHT_CREATE_ROOMS=false", () => {
  it("pins a card in the room itself and quietly collects what was said there before", async () => {
    await h.close();
    h = await matrixHarness({ env: { HINDSIGHT_CREATE_ROOMS: "false" } });
    const { repos } = await h.startBot();
    const room = h.world.createRoom(ALICE, { name: "ops" });
    const theirs = h.world.say(room, ALICE, "standup notes");
    h.world.append(room, {
      type: "m.room.pinned_events",
      sender: ALICE,
      state_key: "",
      content: { pinned: [theirs.event_id] },
    });
    h.world.invite(room, ALICE, BOT);
    await h.world.waitFor((e) => e.room_id === room && e.state_key === BOT);
    h.world.say(room, ALICE, "impact: checkout fails for some users");
    await h.settled();
    h.world.say(room, ALICE, "!incident start Checkout errors");
    await h.settled();

    expect(h.hs.requests.filter((r) => r.endsWith("/createRoom"))).toEqual([]);
    expect(repos.sections.section(1, "impact").map((s) => s.text)).toEqual([
      "checkout fails for some users",
    ]);
    // History is collected without a ✅ on every old tagged message.
    expect(h.world.find(room, (e) => e.type === "m.reaction" && e.sender === BOT)).toEqual([]);
    const pinned = h.world.room(room).state.get("m.room.pinned_events\u0000")?.content
      .pinned as string[];
    expect(pinned).toHaveLength(2);
    expect(pinned[0]).toBe(theirs.event_id);
    const card = h.world.room(room).events.find((e) => e.event_id === pinned[1]);
    expect(String(card?.content.body)).toContain("INC-1: Checkout errors");
  });
});
