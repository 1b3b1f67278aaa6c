import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOT, incidentRoom, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

let h: MatrixHarness;
beforeEach(async () => {
  h = await matrixHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.hs.unexpected).toEqual([]);
});

/** The pinned card's text as clients show it now: its latest edit, else the card itself. */
function cardNow(room: string): string {
  const pinned = h.world.room(room).state.get("m.room.pinned_events\u0000")?.content
    .pinned as string[];
  const cardId = pinned[0]!;
  const edits = h.world.find(
    room,
    (e) =>
      e.sender === BOT &&
      (e.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined)
        ?.event_id === cardId,
  );
  const latest = edits.at(-1)?.content["m.new_content"] as { body?: string } | undefined;
  return (
    latest?.body ??
    String(h.world.room(room).events.find((e) => e.event_id === cardId)?.content.body)
  );
}

describe("Matrix: the pinned card follows tagged messages as they change", () => {
  it("shows an edited action item's new text, and drops it when the message is redacted", async () => {
    const { room } = await incidentRoom(h);
    const said = h.world.say(room, ALICE, "action: renew the certificate");
    await h.settled();
    expect(cardNow(room)).toContain("1. renew the certificate");

    h.world.edit(room, ALICE, said.event_id, "action: renew every certificate");
    await h.settled();
    expect(cardNow(room)).toContain("1. renew every certificate");
    expect(cardNow(room)).not.toContain("renew the certificate");

    h.world.redact(room, ALICE, said.event_id);
    await h.settled();
    expect(cardNow(room)).toContain("No open action items");
  });
});
