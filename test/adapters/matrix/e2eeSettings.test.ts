import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { OnlySignedDevicesIsolationMode } from "matrix-js-sdk/lib/crypto-api/index.js";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config.ts";
import { answer, encryptedLobby, MEGOLM, type Person, person } from "./e2eePerson.ts";

import { ALICE, BOT, lobbyWithBot, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

const BOB = "@bob:fake.test";

let h: MatrixHarness | undefined;
let alice: Person | undefined;
let bob: Person | undefined;
afterEach(async () => {
  await alice?.stop();
  await bob?.stop();
  bob = undefined;
  await h?.close();
  expect(h?.hs.unexpected).toEqual([]);
  alice = undefined;
  h = undefined;
});

/** Every log line the bot writes, at debug level. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: "debug" }, stream), text: () => lines.join("") };
}

const incidentRoomOf = async (world: MatrixHarness["world"]) =>
  (await world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT)).room_id;

describe("Matrix E2EE: catch-up, settings and logs", () => {
  it("catches up on an encrypted room after downtime, paging the gap, and logs no secrets", async () => {
    const logs = capture();
    h = await matrixHarness({ log: logs.log, env: { MATRIX_CRYPTO_PASSPHRASE: "correct horse" } });
    await h.startBot();
    alice = await person(h.hs, ALICE);
    const lobby = await encryptedLobby(h, alice);
    await alice.client.sendTextMessage(lobby, "!incident start Latency");
    const room = await incidentRoomOf(h.world);
    await alice.join(room);
    await alice.client.sendTextMessage(room, "first note");
    await h.settled();

    await h.stopBot();
    // More than one /sync carries (the harness limits timelines to 10): the rest is paged.
    const said = [];
    for (let i = 0; i < 14; i++) said.push(await alice.client.sendTextMessage(room, `late ${i}`));
    await alice.client.sendTextMessage(room, "!timeline add 08:40 cache flushed");
    const { repos } = await h.startBot();
    await h.settled();
    for (const [i, m] of said.entries())
      expect(repos.messages.byEvent("matrix", m.event_id)?.text).toBe(`late ${i}`);
    await answer(alice, room, /cache flushed/);
    expect(repos.timeline.list(1).filter((e) => e.text === "cache flushed")).toHaveLength(1);

    const text = logs.text();
    expect(text).toContain("Matrix end-to-end encryption ready");
    for (const secret of ["correct horse", h.env.MATRIX_ACCESS_TOKEN!, "session_key", "ciphertext"])
      expect(text).not.toContain(secret);
  });

  it("refuses to start with the wrong MATRIX_CRYPTO_PASSPHRASE, in one line", async () => {
    h = await matrixHarness({ env: { MATRIX_CRYPTO_PASSPHRASE: "first" } });
    await h.startBot();
    await h.stopBot();
    h.env.MATRIX_CRYPTO_PASSPHRASE = "second";
    const failed = await h.startBot().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ConfigError);
    expect(String((failed as Error).message)).toMatch(/MATRIX_CRYPTO_PASSPHRASE/);
    expect(String((failed as Error).message)).not.toContain("\n");
  });

  it("refuses to start on an unreadable crypto store, in one line naming the file", async () => {
    h = await matrixHarness();
    writeFileSync(`${h.dbPath}.crypto`, "not a crypto store");
    const failed = await h.startBot().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ConfigError);
    expect(String((failed as Error).message)).toContain(
      `cannot read the crypto store ${h.dbPath}.crypto`,
    );
    expect(String((failed as Error).message)).not.toContain("\n");
  });

  it("MATRIX_ENCRYPT_ROOMS=never keeps incident rooms unencrypted, even from an encrypted room", async () => {
    h = await matrixHarness({ env: { MATRIX_ENCRYPT_ROOMS: "never" } });
    await h.startBot();
    alice = await person(h.hs, ALICE);
    const lobby = await encryptedLobby(h, alice);
    await alice.client.sendTextMessage(lobby, "!incident start Outage");
    const room = await incidentRoomOf(h.world);
    expect(h.world.room(room).state.has("m.room.encryption\u0000")).toBe(false);
    await h.world.waitFor((e) => e.room_id === room && e.type === "m.room.pinned_events");
    expect(h.notices(room).length).toBeGreaterThan(0);
    // The lobby itself stays encrypted: the bot answered there encrypted.
    await answer(alice, lobby, /Declared INC-1/);
  });

  it("MATRIX_ENCRYPT_ROOMS=always encrypts incident rooms declared from a plain room", async () => {
    h = await matrixHarness({ env: { MATRIX_ENCRYPT_ROOMS: "always" } });
    await h.startBot();
    const lobby = await lobbyWithBot(h);
    h.world.say(lobby, ALICE, "!incident start Outage");
    const room = await incidentRoomOf(h.world);
    await h.world.waitFor((e) => e.room_id === room && e.type === "m.room.pinned_events");
    expect(h.world.room(room).state.get("m.room.encryption\u0000")?.content).toEqual({
      algorithm: "m.megolm.v1.aes-sha2",
    });
    const said = h.world.find(room, (e) => e.sender === BOT && e.state_key === undefined);
    expect(said.map((e) => e.type)).toEqual(said.map(() => "m.room.encrypted"));
    expect(h.notices(lobby).some((c) => String(c.body).includes("Declared INC-1"))).toBe(true);
  });

  it("notices a room the homeserver encrypted on its own, and encrypts there from the first message", async () => {
    h = await matrixHarness({ env: { MATRIX_ENCRYPT_ROOMS: "never" } });
    h.hs.encryptNewRooms = true;
    await h.startBot();
    const lobby = h.world.createRoom(ALICE, { name: "ops" });
    h.world.invite(lobby, ALICE, BOT);
    await h.world.waitFor(
      (e) => e.room_id === lobby && e.state_key === BOT && e.content.membership === "join",
    );
    h.world.say(lobby, ALICE, "!incident start Outage");
    const room = await incidentRoomOf(h.world);
    await h.world.waitFor((e) => e.room_id === room && e.type === "m.room.pinned_events");
    const said = h.world.find(room, (e) => e.sender === BOT && e.state_key === undefined);
    expect(said.length).toBeGreaterThan(0);
    expect(said.map((e) => e.type)).toEqual(said.map(() => "m.room.encrypted"));
  });

  it("is read by a client that sends keys only to devices signed by their owner", async () => {
    h = await matrixHarness();
    await h.startBot();
    alice = await person(h.hs, ALICE);
    await alice.crossSign();
    alice.client.getCrypto()!.setDeviceIsolationMode(new OnlySignedDevicesIsolationMode());
    const lobby = await encryptedLobby(h, alice);
    await alice.client.sendTextMessage(lobby, "!incident start Signed only");
    await answer(alice, lobby, /Declared INC-1: Signed only/);
  });

  it("shares room keys with invited members unless the room's history is for joined members only", async () => {
    h = await matrixHarness();
    await h.startBot();
    alice = await person(h.hs, ALICE);
    bob = await person(h.hs, BOB);
    const keysFor = (user: string) =>
      h!.hs.keys.toDevice.filter((m) => m.sender === BOT && m.to.userId === user).length;
    for (const visibility of ["shared", "joined"]) {
      const { room_id: room } = await alice.client.createRoom({
        name: visibility,
        invite: [BOT, BOB],
        initial_state: [
          { type: "m.room.encryption", state_key: "", content: MEGOLM },
          {
            type: "m.room.history_visibility",
            state_key: "",
            content: { history_visibility: visibility },
          },
        ],
      });
      // Alice's client must have seen the bot join: in a "joined" room it shares keys with
      // joined members only, as the bot does.
      await alice.waitFor(
        (e) =>
          e.getRoomId() === room && e.getStateKey() === BOT && e.getContent().membership === "join",
      );
      const before = keysFor(BOB);
      await alice.client.sendTextMessage(room, "!incident list");
      await answer(alice, room, /No open incidents/);
      expect(keysFor(BOB) > before).toBe(visibility === "shared");
    }
  });

  it("MATRIX_SHARE_KEYS_WITH=signed shares keys with cross-signed sessions only", async () => {
    h = await matrixHarness({ env: { MATRIX_SHARE_KEYS_WITH: "signed" } });
    await h.startBot();
    alice = await person(h.hs, ALICE);
    // Alice has a cross-signing identity and has signed her session (a verified session);
    // Bob's session is signed by nobody.
    await alice.crossSign();
    bob = await person(h.hs, BOB);
    const lobby = await encryptedLobby(h, alice);
    await alice.client.invite(lobby, BOB);
    await bob.join(lobby);
    await alice.client.sendTextMessage(lobby, "!incident list");
    const forAlice = await answer(alice, lobby, /No open incidents/);
    const forBob = await bob.waitFor((e) => e.getId() === forAlice.getId());
    expect(forBob.isDecryptionFailure()).toBe(true);
    expect(forBob.getWireType()).toBe("m.room.encrypted");
  });
});
