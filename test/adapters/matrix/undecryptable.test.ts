import pino from "pino";
import { describe, expect, it } from "vitest";
import type { E2ee } from "../../../src/adapters/matrix/e2ee.ts";
import type { Outbox } from "../../../src/adapters/matrix/outbox.ts";
import { undecryptables } from "../../../src/adapters/matrix/undecryptable.ts";
import type { KeyValue } from "../../../src/core/bot.ts";

function setup() {
  const kv = new Map<string, string>();
  const state: KeyValue = {
    get: (k) => kv.get(k),
    set: (k, v) => void kv.set(k, v),
    delete: (k) => void kv.delete(k),
    entries: () => [],
  };
  const notices: string[] = [];
  const outbox = {
    notice: async (room: string) => {
      notices.push(room);
    },
  } as unknown as Outbox;
  const e2ee = { deviceId: "BOTDEVICE" } as unknown as E2ee;
  const list = undecryptables({ state, e2ee, outbox, log: pino({ level: "silent" }) });
  const event = (id: string, bytes = 100) => ({
    type: "m.room.encrypted",
    event_id: id,
    sender: "@mallory:example.org",
    content: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x".repeat(bytes) },
  });
  return { list, event, notices, kv };
}

describe("undecryptable messages waiting for their keys", () => {
  it("keep at most 100 from one room (the newest), without crowding out another room's", async () => {
    const { list, event, notices } = setup();
    await list.record("!quiet:example.org", event("$q"), "live", {
      undecryptable: "no key",
      sessionId: "s1",
    });
    for (let i = 0; i < 150; i++)
      await list.record("!noisy:example.org", event(`$n${i}`), "live", {
        undecryptable: "no key",
        sessionId: "s1",
      });
    const pending = list.pending();
    expect(pending.filter((p) => p.roomId === "!noisy:example.org")).toHaveLength(100);
    expect(pending.find((p) => p.roomId === "!noisy:example.org")?.event.event_id).toBe("$n50");
    expect(pending.some((p) => p.event.event_id === "$q")).toBe(true);
    // each room is told once
    expect(notices).toEqual(["!quiet:example.org", "!noisy:example.org"]);
  });

  it("keep at most 2 MiB in all, dropping the oldest", async () => {
    const { list, event, kv } = setup();
    for (let i = 0; i < 60; i++)
      await list.record(`!room${i % 3}:example.org`, event(`$big${i}`, 60_000), "live", {
        undecryptable: "no key",
        sessionId: "s1",
      });
    expect(kv.get("e2ee:undecryptable")!.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    const ids = list.pending().map((p) => p.event.event_id);
    expect(ids.at(-1)).toBe("$big59");
    expect(ids.length).toBeLessThan(60);
    expect(ids.length).toBeGreaterThan(20);
  });
});
