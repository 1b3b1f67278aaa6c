import { describe, expect, it } from "vitest";
import { openDatabase } from "../../storage/database.ts";
import { eventRepository } from "../../storage/eventRepository.ts";
import { MIGRATIONS } from "../../storage/migrations/index.ts";

describe("migration 10: undelivered answers get a column of their own", () => {
  it("moves marks out of stored replies and leaves other replies as they were", () => {
    const db = openDatabase(":memory:");
    // Back to processed_events as version 9 left it, then migration 10 on its rows.
    db.exec("DROP TABLE processed_events");
    db.exec(`CREATE TABLE processed_events (
      platform TEXT NOT NULL, event_id TEXT NOT NULL, processed_at INTEGER NOT NULL, reply TEXT,
      PRIMARY KEY (platform, event_id)) STRICT, WITHOUT ROWID`);
    const insert = db.prepare(
      "INSERT INTO processed_events (platform, event_id, processed_at, reply) VALUES ('slack', ?, 1000, ?)",
    );
    const to = { room: "C1", user: "U1", via: "https://hooks.slack.com/commands/T/1/x" };
    insert.run(
      "command:marked",
      JSON.stringify({ text: "Added #2", visibility: "channel", unanswered: to }),
    );
    insert.run("command:answered", JSON.stringify({ text: "Added #3", visibility: "channel" }));
    insert.run("message:plain", null);
    // Text that merely mentions the word is no mark.
    insert.run(
      "command:mention",
      JSON.stringify({ text: 'said "unanswered": yes', visibility: "caller" }),
    );
    // Not JSON at all (json_type would raise on it): left alone, and the migration goes on.
    insert.run("command:garbled", '{"unanswered": {"room": ');
    db.transaction(() => db.exec(MIGRATIONS[9]!))();

    const events = eventRepository(db);
    expect(events.unansweredReplies("slack", 0)).toEqual([
      {
        eventId: "command:marked",
        reply: JSON.stringify({ text: "Added #2", visibility: "channel" }),
        unanswered: JSON.stringify(to),
      },
    ]);
    expect(events.storedReply("slack", "command:answered")).toEqual({
      reply: JSON.stringify({ text: "Added #3", visibility: "channel" }),
    });
    expect(events.storedReply("slack", "command:mention")).toEqual({
      reply: JSON.stringify({ text: 'said "unanswered": yes', visibility: "caller" }),
    });
    expect(events.storedReply("slack", "command:garbled")).toEqual({
      reply: '{"unanswered": {"room": ',
    });
    expect(events.storedReply("slack", "message:plain")).toBeUndefined();
    expect(events.seen("slack", "message:plain")).toBe(true);
  });

  it("records an event once, with its reply and mark, and clears the mark by key", () => {
    const events = eventRepository(openDatabase(":memory:"));
    expect(events.seen("slack", "command:1")).toBe(false);
    expect(events.record("slack", "command:1", 5, '{"text":"a"}', '{"room":"C1"}')).toBe(true);
    // A redelivery writes nothing: the first reply and mark stay.
    expect(events.record("slack", "command:1", 6, '{"text":"b"}')).toBe(false);
    expect(events.storedReply("slack", "command:1")).toEqual({
      reply: '{"text":"a"}',
      unanswered: '{"room":"C1"}',
    });
    expect(events.clearUnanswered("slack", "command:1")).toBe(true);
    expect(events.clearUnanswered("slack", "command:1")).toBe(false);
    expect(events.storedReply("slack", "command:1")).toEqual({ reply: '{"text":"a"}' });
    expect(events.unansweredReplies("slack", 0)).toEqual([]);
  });
});
