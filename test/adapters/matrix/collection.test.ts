import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALICE,
  BOT,
  incidentRoom,
  MALLORY,
  type MatrixHarness,
  matrixHarness,
} from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

describe("Matrix invitations", () => {
  it("declines an invitation from a user outside MATRIX_ALLOWED_USERS", async () => {
    h.hs.register(MALLORY);
    await h.startBot();
    const theirs = h.world.createRoom(MALLORY, { name: "free stuff" });
    h.world.invite(theirs, MALLORY, BOT);
    const left = await h.world.waitFor(
      (e) => e.room_id === theirs && e.state_key === BOT && e.content.membership !== "invite",
    );
    expect(left.content.membership).toBe("leave");
    expect(
      h.world.find(theirs, (e) => e.state_key === BOT && e.content.membership === "join"),
    ).toEqual([]);
  });
});

describe("Matrix collected messages", () => {
  it("turns a 📌 into a timeline entry at the message's time; redacting the reaction removes it", async () => {
    const { room, repos } = await incidentRoom(h);
    const said = h.world.say(room, ALICE, "error rate back to normal");
    const pin = h.world.react(room, ALICE, said.event_id, "📌");
    h.world.react(room, ALICE, said.event_id, "📌"); // a second pin adds nothing
    await h.settled();
    const pinned = () => repos.timeline.list(1).filter((e) => e.kind === "pin");
    expect(pinned().map((e) => [e.text, e.at])).toEqual([
      ["error rate back to normal", said.origin_server_ts],
    ]);

    h.world.redact(room, ALICE, pin.event_id);
    await h.settled();
    expect(pinned()).toEqual([]);
  });

  it("follows edits (m.replace) and redactions of collected messages", async () => {
    const { room, repos } = await incidentRoom(h);
    const said = h.world.say(room, ALICE, "impact: some users");
    h.world.edit(room, ALICE, said.event_id, "impact: all EU users");
    await h.settled();
    expect(repos.messages.byEvent("matrix", said.event_id)?.text).toBe("impact: all EU users");
    expect(repos.sections.section(1, "impact").map((s) => s.text)).toEqual(["all EU users"]);
    // the tagged message got a small ✅
    expect(h.world.find(room, (e) => e.type === "m.reaction" && e.sender === BOT)).toHaveLength(1);

    h.world.redact(room, ALICE, said.event_id);
    await h.settled();
    expect(repos.messages.byEvent("matrix", said.event_id)?.deletedAt).not.toBeNull();
    expect(repos.sections.section(1, "impact")).toEqual([]);
  });

  it("ignores an edit by someone other than the author", async () => {
    h.hs.register("@bob:fake.test");
    const { room, repos } = await incidentRoom(h);
    const said = h.world.say(room, ALICE, "db failover done");
    h.world.edit(room, "@bob:fake.test", said.event_id, "nothing happened");
    await h.settled();
    expect(repos.messages.byEvent("matrix", said.event_id)?.text).toBe("db failover done");
  });
});

describe("Matrix replies", () => {
  it("escapes user text in formatted_body and keeps a plain body", async () => {
    const { room } = await incidentRoom(h, "<script>alert(1)</script> & <b>x</b>");
    const declared = h.notices(h.world.rooms.keys().next().value!).at(-1)!;
    expect(String(declared.formatted_body)).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;",
    );
    expect(String(declared.formatted_body)).not.toContain("<script>");
    expect(String(declared.body)).toContain("<script>alert(1)</script> & <b>x</b>");
    const card = h.notices(room)[0]!;
    expect(String(card.formatted_body)).toContain("<strong>INC-1: &lt;script&gt;");
  });

  it("waits out M_LIMIT_EXCEEDED and still delivers the reply and the file, once", async () => {
    const { room } = await incidentRoom(h);
    // Sends also pass through the SDK's own scheduler; uploads are ours alone to retry.
    h.hs.faults.rateLimit("send", 1, 20);
    h.hs.faults.rateLimit("upload", 2, 20);
    h.world.say(room, ALICE, "!postmortem draft");
    await h.settled();
    const replies = h.notices(room).filter((c) => String(c.body).startsWith("Post-mortem draft"));
    expect(replies).toHaveLength(1);
    expect(h.world.find(room, (e) => e.content.msgtype === "m.file")).toHaveLength(1);
    expect(h.hs.faults.limitedHits).toBe(3);
  });

  // Encrypted rooms are read now: what an undecryptable message does is in e2eeKeys.test.ts.
  it("replies to user errors", async () => {
    const { room } = await incidentRoom(h);
    h.world.say(room, ALICE, "!incident sev 9");
    await h.settled();
    const bodies = h.notices(room).map((c) => String(c.body));
    expect(bodies.some((b) => /sev/i.test(b) && /Usage/.test(b))).toBe(true);
  });
});

describe("Matrix draft fallback and health", () => {
  it("posts the draft inline when the upload is refused", async () => {
    const { room } = await incidentRoom(h);
    h.hs.failUploads = true;
    h.world.say(room, ALICE, "!postmortem draft");
    await h.settled();
    expect(h.world.find(room, (e) => e.content.msgtype === "m.file")).toEqual([]);
    const inline = h.notices(room).find((c) => String(c.formatted_body).includes("<pre><code"));
    expect(String(inline?.body)).toContain("## Timeline (times in UTC)");
  });

  it("is healthy while syncing and not after it stopped", async () => {
    const { adapter } = await h.startBot();
    await h.settled();
    expect(adapter.healthy()).toBe(true);
    await adapter.stop();
    expect(adapter.healthy()).toBe(false);
  });
});
