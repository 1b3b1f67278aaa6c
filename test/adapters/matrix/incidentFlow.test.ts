import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REFERENCE_HEADINGS } from "../../reference.ts";
import { ALICE, BOT, lobbyWithBot, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

describe("Matrix: an incident from invitation to uploaded draft", () => {
  it("joins on invite, opens the incident room, collects and uploads the draft", async () => {
    const { world } = h;
    await h.startBot();
    const lobby = await lobbyWithBot(h);

    world.say(lobby, ALICE, "!incident start Certificate errors on OBS --sev 2");
    const declared = await world.waitFor(
      (e) => e.room_id === lobby && e.sender === BOT && e.content.msgtype === "m.notice",
    );
    expect(String(declared.content.body)).toContain(
      "Declared INC-1: Certificate errors on OBS (SEV2)",
    );

    const created = await world.waitFor((e) => e.type === "m.room.name" && e.sender === BOT);
    expect(created.content.name).toBe("INC-1: Certificate errors on OBS");
    const room = created.room_id;
    const state = world.room(room).state;
    expect(state.get("m.room.join_rules\u0000")?.content.join_rule).toBe("invite");
    expect(String(state.get("m.room.topic\u0000")?.content.topic)).toContain("SEV2");
    expect(world.membership(room, ALICE)).toBe("invite");
    world.join(room, ALICE);

    world.say(room, ALICE, "impact: OBS users saw certificate warnings");
    const noted = world.say(room, ALICE, "the proxy lost its certificate");
    world.react(room, ALICE, noted.event_id, "📌");
    world.say(room, ALICE, "!timeline add 08:55 proxy restarted");
    world.say(room, ALICE, "!postmortem draft");

    const file = await world.waitFor((e) => e.room_id === room && e.content.msgtype === "m.file");
    expect(file.content.body).toMatch(/\.md$/);
    const upload = world.uploads.get(String(file.content.url));
    expect(upload?.type).toBe("text/markdown");
    const markdown = upload!.body.toString("utf8");
    const headings = markdown.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual(REFERENCE_HEADINGS);
    expect(markdown).toContain("OBS users saw certificate warnings");
    expect(markdown).toMatch(/- 09:0\d the proxy lost its certificate/);
    expect(markdown).toContain("- 08:55 proxy restarted");
    const notices = h.notices(room).map((c) => String(c.body));
    expect(notices.some((b) => b.startsWith("Post-mortem draft of INC-1"))).toBe(true);
  });

  it("keeps the pinned summary card up to date when the severity changes", async () => {
    const { world } = h;
    await h.startBot();
    const lobby = await lobbyWithBot(h);
    world.say(lobby, ALICE, "!incident start Slow search --sev 3");
    const pinned = await world.waitFor((e) => e.type === "m.room.pinned_events");
    const room = pinned.room_id;
    const cardId = (pinned.content.pinned as string[])[0];
    const card = world.room(room).events.find((e) => e.event_id === cardId);
    expect(String(card?.content.body)).toContain("SEV3 · investigating");
    world.join(room, ALICE);

    world.say(room, ALICE, "!incident sev 1");
    const edit = await world.waitFor(
      (e) =>
        e.room_id === room &&
        (e.content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace",
    );
    expect((edit.content["m.relates_to"] as { event_id: string }).event_id).toBe(cardId);
    const replaced = edit.content["m.new_content"] as { body: string; formatted_body: string };
    expect(replaced.body).toContain("SEV1 · investigating");
    expect(replaced.formatted_body).toContain("<strong>INC-1: Slow search</strong>");
    expect(String(world.room(room).state.get("m.room.topic\u0000")?.content.topic)).toContain(
      "SEV1",
    );
  });
});
