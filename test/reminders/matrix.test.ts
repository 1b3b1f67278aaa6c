import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import { startReminders } from "../../src/reminders/start.ts";
import type { ReminderTimer } from "../../src/reminders/timer.ts";
import {
  ALICE,
  BOT,
  lobbyWithBot,
  type MatrixHarness,
  matrixHarness,
} from "../adapters/matrix/matrixHarness.ts";

const MIN = 60_000;
let h: MatrixHarness;
let timer: ReminderTimer | undefined;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await timer?.stop();
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

const isEdit = (content: Record<string, unknown>) =>
  (content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace";
const bodies = (roomId: string) =>
  h
    .notices(roomId)
    .filter((c) => !isEdit(c))
    .map((c) => String(c.body));

/** The bot with an announce room, INC-1 declared (SEV2) and alice in its room. */
async function declared() {
  const announce = h.world.createRoom(ALICE, { name: "announcements" });
  h.world.invite(announce, ALICE, BOT);
  const started = await h.startBot({ announceRoom: announce });
  await h.world.waitFor(
    (e) => e.room_id === announce && e.state_key === BOT && e.content.membership === "join",
  );
  const lobby = await lobbyWithBot(h);
  h.world.say(lobby, ALICE, "!incident start Downtime --sev 2");
  const pinned = await h.world.waitFor((e) => e.type === "m.room.pinned_events");
  const room = pinned.room_id;
  h.world.join(room, ALICE);
  await h.settled();
  const cardId = (pinned.content.pinned as string[])[0]!;
  return { ...started, announce, room, cardId };
}

describe("Matrix: status updates and reminders over the wire", () => {
  it("an update reaches the incident room and the announce room and edits the card", async () => {
    const { room, announce, cardId } = await declared();
    h.world.say(room, ALICE, "!incident update Failover done <b>now</b>");
    const card = await h.world.waitFor(
      (e) =>
        e.room_id === room &&
        isEdit(e.content) &&
        String((e.content["m.new_content"] as { body?: string }).body).includes("Latest update"),
    );
    expect((card.content["m.relates_to"] as { event_id: string }).event_id).toBe(cardId);
    const newCard = card.content["m.new_content"] as { body: string; formatted_body: string };
    expect(newCard.body).toMatch(
      /Latest update \(\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC, alice\): Failover done <b>now<\/b>/,
    );
    expect(newCard.formatted_body).toContain("Failover done &lt;b&gt;now&lt;/b&gt;");
    await h.world.waitFor(
      (e) => e.room_id === announce && String(e.content.body).startsWith("📣 INC-1 update"),
    );
    const inRoom = bodies(room).filter((b) => b.startsWith("📣"));
    expect(inRoom).toHaveLength(1);
    expect(inRoom[0]).toMatch(
      /^📣 INC-1 update \(Downtime · SEV2 · investigating\): Failover done <b>now<\/b> \(alice, .+ UTC\)$/,
    );
    expect(bodies(announce).filter((b) => b.startsWith("📣"))).toEqual([
      `${inRoom[0]} Follow it in INC-1: Downtime (https://matrix.to/#/${room}).`,
    ]);
    expect(bodies(room).some((b) => b.startsWith("Update on INC-1 posted at"))).toBe(true);
  });

  it("a commander reminder comes once and stops after a role is assigned", async () => {
    const { room, repos, adapter, announce } = await declared();
    const clock = fixedClock(repos.incidents.get(1)!.declaredAt);
    timer = startReminders({
      settings: reminderSettingsFrom(loadConfig({ HINDSIGHT_REMIND_UPDATE_EVERY: "sev2:off" })),
      repos,
      port: adapter,
      clock,
      scheduler: clock,
      log: pino({ level: "silent" }),
    });
    const advance = async (ms: number) => {
      clock.advance(ms);
      await timer?.tick();
    };
    const reminders = () => bodies(room).filter((b) => b.startsWith("⏰"));
    await advance(4 * MIN);
    expect(reminders()).toEqual([]);
    await advance(MIN);
    expect(reminders()).toEqual([
      "⏰ INC-1 has had no commander for 5 min. Someone take it: /incident role commander me (or /incident role commander @someone).",
    ]);
    await advance(10 * MIN);
    h.world.say(room, ALICE, "!incident role commander me");
    await h.world.waitFor(
      (e) => e.room_id === room && String(e.content.body).includes("is now commander of INC-1"),
    );
    await advance(60 * MIN);
    expect(reminders()).toHaveLength(1);
    expect(bodies(announce).some((b) => b.startsWith("⏰"))).toBe(false);
  });

  it("an update reminder comes once per silence, resets on update, stops at resolve with a summary", async () => {
    const { room, repos, adapter } = await declared();
    const clock = fixedClock(repos.incidents.get(1)!.declaredAt);
    timer = startReminders({
      settings: reminderSettingsFrom(loadConfig({ HINDSIGHT_REMIND_COMMANDER_AFTER: "off" })),
      repos,
      port: adapter,
      clock,
      scheduler: clock,
      log: pino({ level: "silent" }),
    });
    const advance = async (ms: number) => {
      clock.advance(ms);
      await timer?.tick();
    };
    /** alice types a command "now" (the fake homeserver stamps events with its own clock) */
    const command = async (text: string, answer: string) => {
      h.world.now = clock.now();
      h.world.say(room, ALICE, text);
      await h.world.waitFor((e) => e.room_id === room && String(e.content.body).includes(answer));
    };
    const reminders = () => bodies(room).filter((b) => b.startsWith("⏰"));
    await advance(30 * MIN);
    expect(reminders()).toEqual([
      "⏰ INC-1 (SEV2) has had no status update for 30 min. Tell stakeholders where things stand: /incident update <text>.",
    ]);
    await advance(20 * MIN);
    expect(reminders()).toHaveLength(1);
    await command("!incident update rolling back", "📣 INC-1 update");
    await advance(29 * MIN);
    expect(reminders()).toHaveLength(1);
    await advance(2 * MIN);
    expect(reminders()).toHaveLength(2);
    await command(
      "!action add rotate the certificate --owner @bob:fake.test",
      "rotate the certificate",
    );
    await command("!postmortem set impact Logins failed", "impact");
    await command("!incident resolve", "INC-1 resolved");
    await advance(30_000);
    expect(reminders()).toHaveLength(3);
    const summary = reminders()[2]!;
    expect(summary).toContain("INC-1 is resolved. Still to do for the write-up:");
    expect(summary).toContain("1 open action item: #1 rotate the certificate (@bob:fake.test)");
    expect(summary).toContain("empty sections: root-causes, trigger, detection");
    expect(summary).not.toContain("impact");
    await advance(5 * 60 * MIN);
    expect(reminders()).toHaveLength(3);
  });
});
