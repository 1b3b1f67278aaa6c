import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, test } from "vitest";
import { COMMANDS } from "../../commands/index.ts";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { createBot, type HandleResult } from "../../src/core/bot.ts";
import type { Invocation } from "../../src/core/invocation.ts";
import { createRegistry } from "../../src/core/registry.ts";
import { createIncidentService } from "../../src/incidents/service.ts";
import { openDatabase } from "../../storage/database.ts";
import { createRepositories } from "../../storage/repositories.ts";
import { integrity, NOW, recordFigures, reliabilityApp, tempDir } from "./support.ts";

const ROOM = "C_WAR_ROOM";
/** Under the 4 000-character limit of entries, and nearly a page each: free space runs out fast. */
const LONG = "x".repeat(3_900);
const tmp = tempDir("disk");
afterAll(() => tmp.cleanup());

let counter = 0;
const figures = { "failed writes answered": 0, recovered: 0 };
afterAll(() => recordFigures("disk", figures));

function said(text: string): Invocation {
  return {
    platform: "slack",
    actor: { id: "U_ALICE", name: "alice" },
    room: ROOM,
    text,
    eventId: `disk-${++counter}`,
    time: NOW,
  };
}

function incidentApp(name: string): App {
  const app = reliabilityApp(join(tmp.dir, `${name}.db`));
  expect(app.bot.handle(said("/incident start Disk trouble --sev 2")).kind).toBe("ok");
  return app;
}

/**
 * What a user must see when the database cannot take a write: an answer only they see, one line
 * that says nothing was saved, and never an exception out of the bot (that would end the process).
 * Sends until the first failure (the pages left may take a few writes); returns how many got in.
 */
function expectClearFailure(send: (i: number) => HandleResult): number {
  for (let i = 0; i < 50; i++) {
    let result: HandleResult | undefined;
    expect(() => {
      result = send(i);
    }).not.toThrow();
    if (result?.kind === "ok" || result?.kind === "collected") continue;
    expect(result?.kind).toMatch(/^(user-error|internal-error)$/);
    if (result?.kind === "user-error" || result?.kind === "internal-error") {
      expect(result.reply.visibility).toBe("caller");
      expect(result.reply.text.split("\n")).toHaveLength(1);
      // says what is wrong in words the room can pass on, not "something went wrong"
      expect(result.reply.text).toMatch(
        /^The database is (full \(disk or size limit reached\)|read-only right now): nothing was saved\. Please tell whoever runs Hindsight \(ref [0-9a-f]{8}\)\.$/,
      );
    }
    figures["failed writes answered"]++;
    return i;
  }
  throw new Error("the database never refused a write");
}

/**
 * Both techniques work as root, where chmod 0444 would not stop a write: SQLite itself refuses.
 * `max_page_count` is a full disk as SQLite sees it (SQLITE_FULL); `query_only` is a read-only
 * database (SQLITE_READONLY). Both can be lifted on the same connection, as when an operator frees
 * space or fixes a mount while the bot keeps running.
 */
describe.each([
  {
    trouble: "a full disk",
    break: (app: App) => {
      const pages = app.db.pragma("page_count", { simple: true }) as number;
      app.db.pragma(`max_page_count = ${pages}`);
    },
    fix: (app: App) => app.db.pragma("max_page_count = 4294967294"),
  },
  {
    trouble: "a read-only database",
    break: (app: App) => app.db.pragma("query_only = ON"),
    fix: (app: App) => app.db.pragma("query_only = OFF"),
  },
])("$trouble", (trouble) => {
  test("a command gets a clear error, the bot keeps running and recovers", () => {
    const app = incidentApp(trouble.trouble.replace(/\W+/g, "-"));
    trouble.break(app);
    const stored = expectClearFailure((i) =>
      app.bot.handle(said(`/timeline add 11:0${i % 10} ${LONG}`)),
    );
    // The refused command left nothing behind: 1 declared entry + those that still fitted.
    expect(app.repos.timeline.count(1)).toBe(1 + stored);
    trouble.fix(app);
    expect(app.bot.handle(said("/timeline add 11:05 after the fix")).kind).toBe("ok");
    expect(app.repos.timeline.count(1)).toBe(2 + stored);
    expect(integrity(app.db)).toBe("ok");
    figures.recovered++;
    app.db.close();
  });

  test("a collected message that cannot be stored does not crash the bot", () => {
    const app = incidentApp(`${trouble.trouble.replace(/\W+/g, "-")}-message`);
    trouble.break(app);
    expectClearFailure(() => app.bot.handle(said(`impact: ${LONG}`)));
    trouble.fix(app);
    expect(app.bot.handle(said("impact: stored once the disk is fine")).kind).toBe("collected");
    figures.recovered++;
    app.db.close();
  });
});

test("a database file opened read-only answers writes with a clear error", () => {
  const file = join(tmp.dir, "readonly.db");
  const writable = reliabilityApp(file);
  expect(writable.bot.handle(said("/incident start Read only --sev 3")).kind).toBe("ok");
  writable.db.close();
  // The same file through a read-only connection: what a read-only mount or volume looks like.
  const db = openDatabase(file, { readonly: true });
  const stores = createRepositories(db);
  const bot = createBot(createRegistry(COMMANDS), {
    stores,
    incidents: createIncidentService(stores),
    clock: fixedClock(NOW),
    log: pino({ level: "silent" }),
    settings: {
      timezone: "UTC",
      category: "incidents",
      template: "default",
      templatesDir: "./templates",
      createRooms: false,
      draftAuthors: true,
    },
  });
  expect(expectClearFailure(() => bot.handle(said("/timeline add 11:00 cannot be stored")))).toBe(
    0,
  );
  db.close();
});
