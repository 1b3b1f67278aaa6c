import { EventType, MsgType, RelationType } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFERENCE_HEADINGS } from "../../reference.ts";
import { answer, encryptedLobby, encryptingClient, type Person, person } from "./e2eePerson.ts";
import { ALICE, BOT, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

const MEGOLM = { algorithm: "m.megolm.v1.aes-sha2" };
const CAROL = "@carol:fake.test";
const encryption = (sender: string) => ({
  type: "m.room.encryption",
  state_key: "",
  sender,
  content: MEGOLM,
});

let h: MatrixHarness;
let alice: Person;
let repos: Awaited<ReturnType<MatrixHarness["startBot"]>>["repos"];
beforeAll(async () => {
  h = await matrixHarness();
  ({ repos } = await h.startBot());
  alice = await person(h.hs, ALICE);
});
afterAll(async () => {
  await alice.stop();
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

describe("Matrix: an incident in an end-to-end encrypted room", () => {
  it("declares, collects, pins and uploads the draft, all encrypted on the wire", async () => {
    const { client } = alice;
    const { room_id: lobby } = await client.createRoom({
      name: "ops",
      invite: [BOT],
      initial_state: [{ type: "m.room.encryption", state_key: "", content: MEGOLM }],
    });
    await h.world.waitFor(
      (e) => e.room_id === lobby && e.state_key === BOT && e.content.membership === "join",
    );
    await client.sendTextMessage(lobby, "!incident start Certificate errors on OBS --sev 2");
    const declared = await alice.waitFor(
      (e) =>
        e.getRoomId() === lobby && e.getSender() === BOT && e.getContent().msgtype === "m.notice",
    );
    expect(declared.isEncrypted()).toBe(true);
    expect(String(declared.getContent().body)).toContain(
      "Declared INC-1: Certificate errors on OBS",
    );

    const named = await h.world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT);
    const room = named.room_id;
    expect(h.world.room(room).state.get("m.room.encryption\u0000")?.content).toEqual(MEGOLM);
    await alice.join(room);
    await client.sendTextMessage(room, "impact: OBS users saw certificate warnings");
    await client.sendTextMessage(room, "root cause: the proxy lost its certificate");
    const noted = await client.sendTextMessage(room, "the proxy was restarted by hand");
    await client.sendEvent(room, EventType.Reaction, {
      "m.relates_to": {
        rel_type: RelationType.Annotation,
        event_id: noted.event_id,
        key: "📌",
      },
    });
    const wrong = await client.sendTextMessage(room, "impact: every user lost their data");
    await client.redactEvent(room, wrong.event_id);
    const typo = await client.sendTextMessage(room, "detection: pager at 08:5");
    await client.sendEvent(room, EventType.RoomMessage, {
      msgtype: MsgType.Text,
      body: "* detection: pager at 08:50",
      "m.new_content": { msgtype: MsgType.Text, body: "detection: pager at 08:50" },
      "m.relates_to": { rel_type: RelationType.Replace, event_id: typo.event_id },
    });
    await client.sendTextMessage(room, "!incident sev 1");
    const edited = await alice.waitFor(
      (e) =>
        e.getRoomId() === room &&
        e.getSender() === BOT &&
        e.getContent()["m.relates_to"]?.rel_type === "m.replace",
    );
    expect(edited.isEncrypted()).toBe(true);
    expect(String(edited.getContent()["m.new_content"]?.body)).toContain("SEV1");
    await client.sendTextMessage(room, "!timeline add 08:55 proxy restarted");
    await client.sendTextMessage(room, "!postmortem draft");

    const file = await alice.waitFor(
      (e) => e.getRoomId() === room && e.getContent().msgtype === "m.file",
    );
    expect(file.isEncrypted()).toBe(true);
    const content = file.getContent() as { url?: string; file: { url: string } };
    expect(content.url).toBeUndefined();
    const stored = h.world.uploads.get(content.file.url);
    expect(stored?.type).toBe("application/octet-stream");
    expect(stored?.body.toString("utf8")).not.toContain("certificate");
    const markdown = await alice.download(content.file);
    expect(markdown.split("\n").filter((l) => l.startsWith("## "))).toEqual(REFERENCE_HEADINGS);
    expect(markdown).toContain("OBS users saw certificate warnings");
    expect(markdown).toContain("the proxy lost its certificate");
    expect(markdown).toMatch(/- \d\d:\d\d the proxy was restarted by hand/);
    expect(markdown).toContain("- 08:55 proxy restarted");
    expect(markdown).toContain("pager at 08:50");
    expect(markdown).not.toContain("every user lost their data");

    // The bot read all of it through the crypto: alice's messages went out encrypted (her
    // client, matrix-js-sdk, sends reactions and redactions in the clear, as the spec allows).
    const hers = h.world.find(room, (e) => e.sender === ALICE && e.state_key === undefined);
    expect([...new Set(hers.map((e) => e.type))].sort()).toEqual([
      "m.reaction",
      "m.room.encrypted",
      "m.room.redaction",
    ]);

    // Whatever the bot said in either room went out encrypted (state events are never).
    const said = [lobby, room].flatMap((r) =>
      h.world.find(r, (e) => e.sender === BOT && e.state_key === undefined),
    );
    expect(said.length).toBeGreaterThan(4);
    expect([...new Set(said.map((e) => e.type))]).toEqual(["m.room.encrypted"]);
  });

  it("pins on an encrypted 📌 reaction (Element encrypts reactions; matrix-js-sdk does not)", async () => {
    const lobby = await encryptedLobby(h, alice);
    await alice.client.sendTextMessage(lobby, "!incident start Failover");
    const declared = await answer(alice, lobby, /Declared INC-2/);
    expect(declared.isEncrypted()).toBe(true);
    const named = await h.world.waitFor(
      (e) => e.type === "m.room.name" && e.content.name === "INC-2: Failover",
    );
    const room = named.room_id;
    await alice.join(room);
    // Carol's client encrypts reactions too: the same Rust crypto, driven as the bot drives it.
    const carol = await encryptingClient(h, CAROL);
    await alice.client.invite(room, CAROL);
    h.world.join(room, CAROL);
    await carol.noteState(room, encryption(CAROL));
    const said = await alice.client.sendTextMessage(room, "database failover began");
    await h.settled();
    expect(repos.timeline.list(2).map((e) => e.text)).not.toContain("database failover began");
    const sealed = await carol.seal(room, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: said.event_id, key: "📌" },
    });
    const reaction = h.world.append(room, {
      type: "m.room.encrypted",
      sender: CAROL,
      content: sealed,
    });
    expect(reaction.content.ciphertext).toEqual(expect.any(String));
    await h.settled();
    expect(repos.timeline.list(2).map((e) => e.text)).toContain("database failover began");
    await carol.close();
  });

  it("posts the draft inline, encrypted, when the upload is refused", async () => {
    const lobby = await encryptedLobby(h, alice);
    await alice.client.sendTextMessage(lobby, "!incident start Inline draft");
    const named = await h.world.waitFor(
      (e) => e.type === "m.room.name" && e.content.name === "INC-3: Inline draft",
    );
    const room = named.room_id;
    await alice.join(room);
    await alice.client.sendTextMessage(room, "impact: the upload path was down");
    h.hs.failUploads = true;
    await alice.client.sendTextMessage(room, "!postmortem draft");
    const inline = await answer(alice, room, /the upload path was down/);
    expect(inline.getWireType()).toBe("m.room.encrypted");
    expect(String(inline.getContent().body)).toContain("## Impact");
    h.hs.failUploads = false;
    const said = h.world.find(room, (e) => e.sender === BOT && e.state_key === undefined);
    expect([...new Set(said.map((e) => e.type))]).toEqual(["m.room.encrypted"]);
  });
});
