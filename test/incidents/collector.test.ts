import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("collected messages", () => {
  it("stores every plain message in an incident's room, and none elsewhere", () => {
    const { ok, say, repos } = testBot();
    ok("/incident start Downtime");
    expect(say("looking at the proxy now").kind).toBe("collected");
    expect(say("unrelated chatter", { room: "random" }).kind).toBe("ignored");
    expect(repos.messages.count(1)).toBe(1);
  });

  it("files section tags, action: and timeline: messages", () => {
    const { ok, say, repos } = testBot({ now: "2023-02-23T10:07:00Z" });
    ok("/incident start Downtime");
    say("Root cause: keepalived was not started on the backup");
    say("went well: quick teamwork");
    say("TODO: re-enable keepalived");
    say("timeline: failover did not take over");
    say("impact - this has no colon so it is just chat");
    expect(repos.sections.section(1, "root-causes").map((s) => s.text)).toEqual([
      "keepalived was not started on the backup",
    ]);
    expect(repos.sections.section(1, "went-well").map((s) => s.text)).toEqual(["quick teamwork"]);
    expect(repos.sections.section(1, "impact")).toEqual([]);
    expect(repos.actions.list(1).map((a) => a.text)).toEqual(["re-enable keepalived"]);
    expect(repos.timeline.list(1).at(-1)).toMatchObject({
      text: "failover did not take over",
      at: Date.parse("2023-02-23T10:07:00Z"),
    });
  });

  it("📌 makes a timeline entry at the message's original time; a second pin adds nothing; the last unpin removes it", () => {
    const { ok, say, bot, clock, repos } = testBot({ now: "2023-02-23T10:05:00Z" });
    ok("/incident start Downtime");
    say("webserver on the login proxy is down", { eventId: "m1" });
    clock.set("2023-02-23T10:30:00Z");
    expect(
      bot.pin({
        platform: "console",
        messageEventId: "m1",
        actorId: "U_ALICE",
        reactionEventId: "r1",
      }),
    ).toBe("pinned");
    expect(
      bot.pin({
        platform: "console",
        messageEventId: "m1",
        actorId: "U_BOB",
        reactionEventId: "r2",
      }),
    ).toBe("already-pinned");
    expect(
      bot.pin({
        platform: "console",
        messageEventId: "m1",
        actorId: "U_ALICE",
        reactionEventId: "r1",
      }),
    ).toBe("already-pinned");
    const pinned = repos.timeline.list(1).filter((e) => e.kind === "pin");
    expect(pinned).toMatchObject([
      { at: Date.parse("2023-02-23T10:05:00Z"), text: "webserver on the login proxy is down" },
    ]);
    expect(bot.unpin({ platform: "console", reactionEventId: "r1" })).toBe("still-pinned");
    expect(bot.unpin({ platform: "console", messageEventId: "m1", actorId: "U_BOB" })).toBe(
      "unpinned",
    );
    expect(repos.timeline.list(1).filter((e) => e.kind === "pin")).toEqual([]);
    expect(
      bot.pin({
        platform: "console",
        messageEventId: "unknown",
        actorId: "U_BOB",
        reactionEventId: null,
      }),
    ).toBe("unknown-message");
  });

  it("edits follow into pinned entries and tagged items; deletions remove them", () => {
    const { ok, say, bot, repos } = testBot();
    ok("/incident start Downtime");
    say("impact: users saw 502", { eventId: "m1" });
    say("proxy restarted", { eventId: "m2" });
    bot.pin({
      platform: "console",
      messageEventId: "m2",
      actorId: "U_ALICE",
      reactionEventId: null,
    });
    bot.editMessage("console", "m1", "impact: users saw 502 for 20 minutes");
    bot.editMessage("console", "m2", "proxy restarted by hand");
    expect(repos.sections.section(1, "impact").map((s) => s.text)).toEqual([
      "users saw 502 for 20 minutes",
    ]);
    expect(repos.timeline.list(1).find((e) => e.kind === "pin")!.text).toBe(
      "proxy restarted by hand",
    );
    bot.editMessage("console", "m1", "lesson: test the failover");
    expect(repos.sections.section(1, "impact")).toEqual([]);
    expect(repos.sections.section(1, "lessons").map((s) => s.text)).toEqual(["test the failover"]);
    expect(bot.deleteMessage("console", "m2", "U_ALICE")).toBe(true);
    expect(repos.timeline.list(1).find((e) => e.kind === "pin")).toBeUndefined();
    expect(repos.messages.byEvent("console", "m2")!.text).toBe("");
  });

  it("a replayed message is stored once", () => {
    const { ok, say, repos } = testBot();
    ok("/incident start Downtime");
    expect(say("action: fix it", { eventId: "dup" }).kind).toBe("collected");
    expect(say("action: fix it", { eventId: "dup" }).kind).toBe("duplicate");
    expect(repos.messages.count(1)).toBe(1);
    expect(repos.actions.list(1)).toHaveLength(1);
  });
});
