import { existsSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../storage/database.ts";
import { createRepositories } from "../../../storage/repositories.ts";
import {
  answer as answerOf,
  encryptedLobby as lobbyOf,
  type Person,
  person,
} from "./e2eePerson.ts";
import { ALICE, BOT, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
let alice: Person;
beforeEach(async () => {
  h = await matrixHarness();
  alice = await person(h.hs, ALICE);
});
afterEach(async () => {
  await alice.stop();
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

const encryptedLobby = () => lobbyOf(h, alice);
const answer = (room: string, match: RegExp) => answerOf(alice, room, match);

const botDevices = () =>
  [...h.hs.keys.deviceKeys.keys()].filter((k) => k.startsWith(`${BOT}\u0000`));

describe("Matrix E2EE: keys survive a restart", () => {
  it("answers an encrypted command after a restart, on the same device", async () => {
    await h.startBot();
    const lobby = await encryptedLobby();
    await alice.client.sendTextMessage(lobby, "!incident start Disk full");
    await answer(lobby, /Declared INC-1: Disk full/);
    const before = botDevices();
    expect(before).toHaveLength(1);

    await h.stopBot();
    expect(existsSync(`${h.dbPath}.crypto`)).toBe(true);
    // the keys are readable by the bot's user only, and no temp copy is left beside them
    expect(statSync(`${h.dbPath}.crypto`).mode & 0o777).toBe(0o600);
    expect(existsSync(`${h.dbPath}.crypto.tmp`)).toBe(false);
    const { repos } = await h.startBot();
    // Alice's client reuses the room key it shared before the restart: the bot must still have it.
    await alice.client.sendTextMessage(lobby, "!incident start Memory leak");
    await answer(lobby, /Declared INC-2: Memory leak/);
    expect(repos.incidents.list({ all: true }).map((i) => i.title)).toEqual([
      "Memory leak",
      "Disk full",
    ]);
    // Same device, same keys: nothing new uploaded (the fake refuses changed device keys).
    expect(botDevices()).toEqual(before);
    expect(h.hs.logins).toBe(0);
    // Cross-signing was set up once, and the bot's device carries its owner's signature.
    const uploads = h.hs.requests.filter((r) => r.endsWith("/keys/device_signing/upload"));
    expect(uploads).toHaveLength(1);
    const signatures = h.hs.keys.deviceKeys.get(before[0]!)?.signatures as Record<string, object>;
    expect(Object.keys(signatures[BOT]!)).toHaveLength(2);
  });
});

describe("Matrix E2EE: a room whose encryption the bot never saw", () => {
  it("asks the homeserver when an encrypted event arrives, and answers encrypted", async () => {
    // As after an upgrade from a version without encryption, or with the room's state from
    // before the saved sync position: the bot holds no record that the room is encrypted.
    await h.startBot();
    const lobby = await encryptedLobby();
    await alice.client.sendTextMessage(lobby, "!incident start Disk full");
    await answer(lobby, /Declared INC-1/);
    await h.stopBot();
    const db = openDatabase(h.dbPath);
    const kv = createRepositories(db).kv;
    expect(kv.get(`matrix:e2ee:room:${lobby}`)).toBeDefined();
    kv.delete(`matrix:e2ee:room:${lobby}`);
    db.close();

    await h.startBot();
    const before = h.world.find(lobby, (e) => e.sender === BOT && e.state_key === undefined).length;
    await alice.client.sendTextMessage(lobby, "!incident start Memory leak");
    await answer(lobby, /Declared INC-2: Memory leak/);
    const said = h.world
      .find(lobby, (e) => e.sender === BOT && e.state_key === undefined)
      .slice(before);
    expect(said.length).toBeGreaterThan(0);
    expect([...new Set(said.map((e) => e.type))]).toEqual(["m.room.encrypted"]);
  });
});

describe("Matrix E2EE: a new login is a new device", () => {
  it("keeps the old keys aside, signs the new device (with the password) and answers from it", async () => {
    await alice.stop();
    await h.close();
    h = await matrixHarness({
      env: { MATRIX_ACCESS_TOKEN: "", MATRIX_USER_ID: BOT, MATRIX_PASSWORD: "bot-password" },
    });
    alice = await person(h.hs, ALICE);
    await h.startBot();
    const lobby = await encryptedLobby();
    await alice.client.sendTextMessage(lobby, "!incident start Disk full");
    await answer(lobby, /Declared INC-1/);
    const [first] = botDevices();

    await h.stopBot();
    h.hs.revokeTokens(BOT);
    await h.startBot();
    expect(h.hs.logins).toBe(2);
    const second = botDevices().find((d) => d !== first);
    expect(second).toBeDefined();
    expect(existsSync(`${h.dbPath}.crypto.${first!.split("\u0000")[1]}`)).toBe(true);
    const signatures = h.hs.keys.deviceKeys.get(second!)?.signatures as Record<string, object>;
    expect(Object.keys(signatures[BOT]!)).toHaveLength(2);

    await alice.client.sendTextMessage(lobby, "!incident list");
    await answer(lobby, /INC-1/);
  });
});

describe("Matrix E2EE: a message the bot has no key for", () => {
  it("records it, says so once, keeps going, and collects it when the key arrives late", async () => {
    const { app, adapter, repos } = await h.startBot();
    const lobby = await encryptedLobby();
    await alice.client.sendTextMessage(lobby, "!incident start Queue stuck");
    const named = await h.world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT);
    const room = named.room_id;
    await alice.join(room);

    // Alice's room key for the new room is held back on its way to the bot.
    h.hs.keys.hold(BOT);
    const first = await alice.client.sendTextMessage(room, "impact: orders were not shipped");
    const second = await alice.client.sendTextMessage(room, "trigger: a poison message");
    await h.settled();
    const pending = () =>
      (
        JSON.parse(app.bot.store("matrix").get("e2ee:undecryptable") ?? "[]") as {
          event: { event_id: string };
        }[]
      ).map((p) => p.event.event_id);
    expect(pending()).toEqual([first.event_id, second.event_id]);
    // Recorded with the crypto's own reason, readable (no ciphertext, no key).
    const reasons = (
      JSON.parse(app.bot.store("matrix").get("e2ee:undecryptable")!) as { reason: string }[]
    ).map((p) => p.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^Can't find the room key/),
      expect.stringMatching(/^Can't find the room key/),
    ]);
    expect(repos.messages.byEvent("matrix", first.event_id)).toBeUndefined();
    const notice = await answer(room, /could not decrypt/);
    expect(String(notice.getContent().body)).toContain(
      "Never send encrypted messages to unverified sessions",
    );

    // The sync loop goes on: another room is answered meanwhile.
    await alice.client.sendTextMessage(lobby, "!incident list");
    await answer(lobby, /INC-1/);
    expect(adapter.healthy()).toBe(true);

    expect(h.hs.keys.release(BOT)).toBeGreaterThan(0);
    await h.settled();
    await h.settled();
    expect(repos.messages.byEvent("matrix", first.event_id)?.text).toBe(
      "impact: orders were not shipped",
    );
    expect(repos.messages.byEvent("matrix", second.event_id)?.text).toBe(
      "trigger: a poison message",
    );
    expect(pending()).toEqual([]);
    const told = h.world
      .find(room, (e) => e.sender === BOT && e.type === "m.room.encrypted")
      .filter((e) => e.event_id === notice.getId());
    expect(told).toHaveLength(1);
    // One notice, however many messages could not be read.
    const notices = alice.client
      .getRoom(room)!
      .getLiveTimeline()
      .getEvents()
      .filter(
        (e) => e.getSender() === BOT && /could not decrypt/.test(String(e.getContent().body)),
      );
    expect(notices).toHaveLength(1);
  });
});
