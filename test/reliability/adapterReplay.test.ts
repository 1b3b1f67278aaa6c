import { afterAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../storage/database.ts";
import { createRepositories } from "../../storage/repositories.ts";
import { ALICE, BOT, incidentRoom, matrixHarness } from "../adapters/matrix/matrixHarness.ts";
import { messageEvent, startSlackHarness } from "../adapters/slack/slackHarness.ts";
import { recordFigures, snapshot } from "./support.ts";

/** Replays that went through a real adapter; recorded with the suite's figures. */
const figures = { "Slack redeliveries": 0, "Matrix events re-synced": 0, "changed anything": 0 };
afterAll(() => recordFigures("adapter replay", figures));

describe("Slack: redelivering every event and command changes nothing", () => {
  test("messages, tags, 📌, edits, deletions, typed and slash commands, all delivered twice", async () => {
    const h = await startSlackHarness({ createRooms: false });
    try {
      const channel = "CWARROOM";
      const start = await h.command("/incident", "start Replayed --sev 2", { channel_id: channel });
      expect(start.ack?.text).toContain("Declared INC-1");
      const ts = (n: number) => `1772450${String(n).padStart(3, "0")}.000100`;
      const pin = (n: number, type: string) => ({
        type,
        user: "UBOB",
        reaction: "pushpin",
        item: { type: "message", channel, ts: ts(n) },
      });
      const events: Record<string, unknown>[] = [
        messageEvent(channel, ts(1), "proxy answers 502"),
        messageEvent(channel, ts(2), "impact: logins fail"),
        messageEvent(channel, ts(3), "action: renew the certificate"),
        messageEvent(channel, ts(4), "timeline: failover started"),
        messageEvent(channel, ts(5), "!timeline add 10:05 typed as a message"),
        messageEvent(channel, ts(6), "!incident sev 9"),
        pin(1, "reaction_added"),
        pin(4, "reaction_added"),
        pin(4, "reaction_removed"),
        {
          type: "message",
          subtype: "message_changed",
          channel,
          ts: ts(7),
          event_ts: ts(7),
          message: { type: "message", user: "UALICE", text: "impact: all logins fail", ts: ts(2) },
          previous_message: {
            type: "message",
            user: "UALICE",
            text: "impact: logins fail",
            ts: ts(2),
          },
        },
        {
          type: "message",
          subtype: "message_deleted",
          channel,
          ts: ts(8),
          event_ts: ts(8),
          deleted_ts: ts(3),
          previous_message: { type: "message", user: "UALICE", text: "action: renew", ts: ts(3) },
        },
      ];
      const commands = [
        ["/timeline", "add 10:07 rolled back", "trig-1"],
        ["/action", "add check expiry dates --owner @bob", "trig-2"],
        ["/incident", "sev 7", "trig-3"],
        ["/postmortem", "add lessons alert on expiry", "trig-4"],
      ] as const;

      for (const [i, event] of events.entries()) {
        expect((await h.event(event, { eventId: `EvR${i}` })).status).toBe(200);
      }
      for (const [command, text, trigger] of commands) {
        await h.command(command, text, { channel_id: channel, trigger_id: trigger });
      }
      await h.adapter.idle();
      const before = snapshot(h.app.db);
      const calls = h.fake.calls.length;

      for (const [i, event] of events.entries()) {
        const again = await h.event(event, { eventId: `EvR${i}`, retryNum: 1 });
        expect(again.status).toBe(200);
        figures["Slack redeliveries"]++;
      }
      for (const [command, text, trigger] of commands) {
        const again = await h.command(command, text, { channel_id: channel, trigger_id: trigger });
        expect(again.status).toBe(200);
        expect(again.ack).toBeUndefined(); // answered the first time, and only then
        figures["Slack redeliveries"]++;
      }
      await h.adapter.idle();
      if (snapshot(h.app.db) !== before) figures["changed anything"]++;
      expect(snapshot(h.app.db)).toBe(before);
      expect(h.fake.calls.slice(calls).map((c) => c.method)).not.toContain("chat.postMessage");
      expect(h.fake.calls.slice(calls).map((c) => c.method)).not.toContain("chat.postEphemeral");
      expect(h.fake.unexpected).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});

describe("Matrix: a sync replayed after a crash changes nothing", () => {
  test("the saved sync position rewound to before a batch of events", async () => {
    const h = await matrixHarness();
    try {
      const { room, repos } = await incidentRoom(h, "Replayed");
      const key = `matrix:sync:${BOT}`;
      // A crash after handling but before saving the new position looks exactly like this.
      const rewound = repos.kv.get(key);
      expect(rewound).toBeDefined();
      const said = [
        h.world.say(room, ALICE, "proxy answers 502"),
        h.world.say(room, ALICE, "impact: logins fail"),
        h.world.say(room, ALICE, "action: renew the certificate"),
        h.world.say(room, ALICE, "!timeline add 08:55 proxy restarted"),
        h.world.say(room, ALICE, "!incident sev 9"),
      ];
      h.world.react(room, ALICE, said[0]!.event_id, "📌");
      h.world.edit(room, ALICE, said[1]!.event_id, "impact: all logins fail");
      h.world.redact(room, ALICE, said[2]!.event_id);
      await h.settled();
      // kv holds the sync position, which moves on; everything else must stay as it is.
      const before = snapshot(repos.db, ["kv"]);
      const notices = h.notices(room).length;
      const file = repos.db.name;
      await h.stopBot();
      const db = openDatabase(file);
      createRepositories(db).kv.set(key, rewound!);
      db.close();

      const replayed = await h.startBot();
      await h.settled();
      figures["Matrix events re-synced"] += said.length + 3;
      const after = snapshot(replayed.repos.db, ["kv"]);
      if (after !== before) figures["changed anything"]++;
      expect(after).toBe(before);
      expect(replayed.repos.kv.get(key)).not.toBe(rewound);
      expect(h.notices(room)).toHaveLength(notices);
    } finally {
      await h.close();
    }
  });
});
