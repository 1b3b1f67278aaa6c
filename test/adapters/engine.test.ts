import pino from "pino";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/core/engine.ts";
import type { ChatSurface, Message } from "../../src/core/surface.ts";
import { testBot } from "../harness.ts";

/** A surface that only records what the engine asked of it. */
function recordingSurface() {
  const calls: [string, ...unknown[]][] = [];
  const text = (m: Message) => (typeof m.text === "string" ? m.text : m.text.join(""));
  let n = 0;
  const surface: ChatSurface = {
    platform: "console",
    label: "Test",
    roomNoun: "room",
    idempotentPosts: false,
    post: async (room, message) => {
      calls.push(["post", room, text(message)]);
      return `m${++n}`;
    },
    edit: async (room, id, message) => {
      calls.push(["edit", room, id, `${message.title}\n${text(message)}`]);
    },
    pin: async (room, id) => {
      calls.push(["pin", room, id]);
    },
    upload: async () => ({ ok: true }),
    postText: async () => ({ ok: true }),
    createRoom: async (spec) => `room-${spec.incident.id}`,
    findRoom: async () => undefined,
    join: async () => {},
    invite: async () => {},
    setTopic: async (room, topic) => {
      calls.push(["topic", room, topic]);
    },
    rename: async (room, incident) => {
      calls.push(["rename", room, incident.title]);
    },
    acknowledge: async () => {},
    announceRoom: async () => undefined,
    inHistory: () => true,
    history: async function* () {},
  };
  return { surface, calls };
}

describe("the follow-up engine", () => {
  it("renames every room of an incident after incident-renamed, and the card follows", async () => {
    const t = testBot({ settings: { createRooms: true } });
    const { surface, calls } = recordingSurface();
    const engine = createEngine({
      bot: t.bot,
      surface,
      clock: t.clock,
      log: pino({ level: "silent" }),
    });
    const start = t.say("/incident start Disk full", { room: "lobby" });
    if (start.kind !== "ok") throw new Error(start.kind);
    await engine.followUp(start, { room: "lobby", user: "U_ALICE" });
    expect(t.bot.roomsOf(1, "console")).toEqual(["room-1"]);

    t.repos.db.prepare("UPDATE incidents SET title = 'Disk really full' WHERE id = 1").run();
    const incident = t.bot.incident(1)!;
    await engine.followUp(
      {
        kind: "ok",
        reply: {
          text: "renamed",
          visibility: "channel",
          effects: [{ kind: "incident-renamed", incident }],
        },
      },
      { room: "room-1", user: "U_ALICE" },
    );
    expect(calls).toContainEqual(["rename", "room-1", "Disk really full"]);
    const edits = calls.filter((c) => c[0] === "edit");
    expect(String(edits.at(-1)?.[3])).toContain("INC-1: Disk really full");
  });
});

describe("a room whose creation failed without a clear answer", () => {
  it("is looked for before another is made, and not retried by itself at start", async () => {
    const t = testBot({ settings: { createRooms: true } });
    const { surface, calls } = recordingSurface();
    // The platform made the room, then the answer was lost (a timeout, a 5xx).
    const made: string[] = [];
    let fail = true;
    surface.createRoom = async (spec) => {
      made.push(spec.marker);
      if (fail) throw new Error("socket hang up");
      return `room-${spec.incident.id}-again`;
    };
    surface.findRoom = async (marker) => (made.includes(marker) ? "room-1-lost" : undefined);
    const engine = createEngine({
      bot: t.bot,
      surface,
      clock: t.clock,
      log: pino({ level: "silent" }),
    });
    const start = t.say("/incident start Disk full", { room: "lobby" });
    if (start.kind !== "ok") throw new Error(start.kind);
    await engine.followUp(start, { room: "lobby", user: "U_ALICE" });
    expect(t.bot.roomsOf(1, "console")).toEqual([]);
    expect(calls.filter((c) => c[0] === "post").map((c) => c[2])).toContainEqual(
      expect.stringContaining("could not be created"),
    );

    // A restart does not try again on its own (people were told, and a retry would repeat it)…
    fail = false;
    await engine.resumeRooms();
    expect(made).toHaveLength(1);
    // …but the next opening (a replay) finds the room the lost answer made, and makes none.
    await engine.followUp(start, { room: "lobby", user: "U_ALICE" });
    expect(t.bot.roomsOf(1, "console")).toEqual(["room-1-lost"]);
    expect(made).toHaveLength(1);
  });
});
