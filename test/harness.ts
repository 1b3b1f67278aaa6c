import pino from "pino";
import { COMMANDS } from "../commands/index.ts";
import { fixedClock } from "../src/clock.ts";
import { createBot, type HandleResult } from "../src/core/bot.ts";
import type { Settings } from "../src/core/command.ts";
import type { Actor } from "../src/core/invocation.ts";
import { createRegistry } from "../src/core/registry.ts";
import { createIncidentService } from "../src/incidents/service.ts";
import { openDatabase } from "../storage/database.ts";
import { createRepositories } from "../storage/repositories.ts";

/** A bot over a real in-memory database with the real migrations and a fixed clock. */
export function testBot(options: { now?: string; settings?: Partial<Settings> } = {}) {
  const db = openDatabase(":memory:");
  const repos = createRepositories(db);
  const clock = fixedClock(options.now ?? "2023-02-23T12:00:00Z");
  const settings: Settings = {
    timezone: "UTC",
    category: "incidents",
    template: "default",
    templatesDir: "./templates",
    createRooms: false,
    draftAuthors: true,
    ...options.settings,
  };
  const bot = createBot(createRegistry(COMMANDS), {
    stores: repos,
    incidents: createIncidentService(repos),
    clock,
    log: pino({ level: "silent" }),
    settings,
  });
  let counter = 0;
  const alice: Actor = { id: "U_ALICE", name: "alice" };

  /** Says something as `actor` in `room` at the clock's time; returns what the bot did. */
  function say(
    text: string,
    opts: { room?: string; actor?: Actor; eventId?: string; at?: string } = {},
  ): HandleResult {
    return bot.handle({
      platform: "console",
      actor: opts.actor ?? alice,
      room: opts.room ?? "war-room",
      text,
      eventId: opts.eventId ?? `evt-${++counter}`,
      time: opts.at ? Date.parse(opts.at) : clock.now(),
    });
  }

  /** Says a command and returns its reply text; fails the test when it was not a success. */
  function ok(text: string, opts: Parameters<typeof say>[1] = {}): string {
    const result = say(text, opts);
    if (result.kind !== "ok")
      throw new Error(
        `expected ok for ${JSON.stringify(text)}, got ${result.kind}: ${"reply" in result ? result.reply?.text : ""}`,
      );
    return result.reply.text;
  }

  /** Says a command that must fail with a user error; returns the error text. */
  function fails(text: string, opts: Parameters<typeof say>[1] = {}): string {
    const result = say(text, opts);
    if (result.kind !== "user-error")
      throw new Error(
        `expected user-error for ${JSON.stringify(text)}, got ${result.kind}: ${"reply" in result ? result.reply?.text : ""}`,
      );
    return result.reply.text;
  }

  /** Every row of every table: equal snapshots mean nothing was written. */
  function snapshot(): string {
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'processed_events' ORDER BY name",
      )
      .all();
    return JSON.stringify(
      tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}"`).all()]),
    );
  }

  return { db, repos, clock, bot, say, ok, fails, snapshot, alice };
}
