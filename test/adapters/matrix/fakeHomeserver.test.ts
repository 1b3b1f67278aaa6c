import { afterEach, describe, expect, it } from "vitest";
import { FakeHomeserver } from "../../fakes/homeserver.ts";

describe("the fake homeserver itself", () => {
  let hs: FakeHomeserver;
  afterEach(async () => {
    await hs.stop();
  });

  it("answers 500 and records a failure inside a handler instead of hanging", async () => {
    hs = await new FakeHomeserver().start();
    const token = hs.register("@alice:fake.test");
    const room = hs.world.createRoom("@alice:fake.test");
    const res = await fetch(
      `${hs.url}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/t1`,
      { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: "{not json" },
    );
    expect(res.status).toBe(500);
    expect(((await res.json()) as { errcode: string }).errcode).toBe("M_UNKNOWN");
    expect(hs.unexpected).toHaveLength(1);
    expect(hs.unexpected[0]).toContain("PUT /_matrix/client/v3/rooms/");
  });

  it("refuses an event over 64 KiB with 413 M_TOO_LARGE", async () => {
    hs = await new FakeHomeserver().start();
    const token = hs.register("@alice:fake.test");
    const room = hs.world.createRoom("@alice:fake.test");
    const res = await fetch(
      `${hs.url}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/t2`,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ msgtype: "m.text", body: "x".repeat(70_000) }),
      },
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errcode: string }).errcode).toBe("M_TOO_LARGE");
  });
});
