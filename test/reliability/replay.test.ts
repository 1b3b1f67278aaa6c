import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { App } from "../../src/app.ts";
import type { Invocation } from "../../src/core/invocation.ts";
import { NOW, recordFigures, reliabilityApp, snapshot, tempDir } from "./support.ts";

const ROOM = "C_WAR_ROOM";
const tmp = tempDir("replay");
afterAll(() => tmp.cleanup());

let replays = 0;
let changedOnReplay = 0;

function said(text: string, eventId: string, actor = "U_ALICE"): Invocation {
  return {
    platform: "slack",
    actor: { id: actor, name: actor.toLowerCase() },
    room: ROOM,
    text,
    eventId,
    time: NOW - 60_000,
  };
}

function incidentApp(name: string): App {
  const app = reliabilityApp(join(tmp.dir, `${name}.db`));
  const declared = app.bot.handle(
    said("/incident start Replayed outage --sev 2", `${name}-declare`),
  );
  if (declared.kind !== "ok") throw new Error(`declare failed: ${JSON.stringify(declared)}`);
  return app;
}

/** Does the same thing twice; the second time must leave every table exactly as it was. */
function twice<T>(app: App, action: () => T): { first: T; second: T } {
  const first = action();
  const before = snapshot(app.db);
  const second = action();
  replays++;
  if (snapshot(app.db) !== before) changedOnReplay++;
  expect(snapshot(app.db)).toBe(before);
  return { first, second };
}

describe("a redelivered event changes nothing", () => {
  test("a command runs once", () => {
    const app = incidentApp("command");
    const { first, second } = twice(app, () =>
      app.bot.handle(said("/timeline add 10:05 proxy down", "Ev-add")),
    );
    expect(first.kind).toBe("ok");
    expect(second.kind).toBe("duplicate");
    expect(app.repos.timeline.count(1)).toBe(2);
  });

  test("a failed command is not answered twice", () => {
    const app = incidentApp("failed");
    const { first, second } = twice(app, () => app.bot.handle(said("/incident sev 9", "Ev-sev")));
    expect(first.kind).toBe("user-error");
    expect(second.kind).toBe("duplicate");
  });

  test("help is answered once", () => {
    const app = incidentApp("help");
    const { first, second } = twice(app, () => app.bot.handle(said("/timeline help", "Ev-help")));
    expect(first.kind).toBe("ok");
    expect(second.kind).toBe("duplicate");
  });

  test("a collected message with a tag is stored and applied once", () => {
    const app = incidentApp("message");
    const { first, second } = twice(app, () =>
      app.bot.handle(said("action: renew the certificate", "Ev-msg")),
    );
    expect(first.kind).toBe("collected");
    expect(second.kind).toBe("duplicate");
    expect(app.repos.actions.list(1)).toHaveLength(1);
  });

  test("a 📌 reaction delivered twice pins once", () => {
    const app = incidentApp("pin");
    app.bot.handle(said("the proxy is down", "Ev-pinned"));
    const pin = { platform: "slack", messageEventId: "Ev-pinned", actorId: "U_BOB" };
    const { first, second } = twice(app, () => app.bot.pin({ ...pin, reactionEventId: "Ev-r1" }));
    expect(first).toBe("pinned");
    expect(second).toBe("already-pinned");
    const unpinned = twice(app, () => app.bot.unpin(pin));
    expect(unpinned.first).toBe("unpinned");
    expect(unpinned.second).toBe("not-pinned");
  });

  test("an edit delivered twice is applied once", () => {
    const app = incidentApp("edit");
    app.bot.handle(said("impact: some users", "Ev-edited"));
    const { first } = twice(app, () =>
      app.bot.editMessage("slack", "Ev-edited", "impact: all users in the EU"),
    );
    expect(first).toBe(true);
    expect(app.repos.sections.all(1).map((s) => s.text)).toEqual(["all users in the EU"]);
  });

  test("a deletion delivered twice is applied once", () => {
    const app = incidentApp("delete");
    app.bot.handle(said("timeline: failover started", "Ev-deleted"));
    const { first, second } = twice(app, () =>
      app.bot.deleteMessage("slack", "Ev-deleted", "U_ALICE"),
    );
    expect(first).toBe(true);
    expect(second).toBe(false);
  });

  test("dedupe survives a restart: it is in the database, not in memory", () => {
    const file = join(tmp.dir, "restart.db");
    const app = reliabilityApp(file);
    app.bot.handle(said("/incident start Restarted --sev 3", "Ev-r-declare"));
    expect(app.bot.handle(said("/timeline add 11:00 before restart", "Ev-r-add")).kind).toBe("ok");
    app.db.close();
    const again = reliabilityApp(file);
    const { first, second } = twice(again, () =>
      again.bot.handle(said("/timeline add 11:00 before restart", "Ev-r-add")),
    );
    expect(first.kind).toBe("duplicate");
    expect(second.kind).toBe("duplicate");
    expect(again.repos.timeline.count(1)).toBe(2);
    again.db.close();
  });
});

afterAll(() => {
  recordFigures("replay", {
    replays: replays,
    "replays that changed the database": changedOnReplay,
  });
});
