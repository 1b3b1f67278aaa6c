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

describe("Matrix: a tagged message beyond its command's limits", () => {
  it("is collected, files nothing, gets no ✅ and one notice saying why", async () => {
    const { room, repos } = await incidentRoom(h);
    h.world.say(room, ALICE, `timeline: ${"y".repeat(5000)}`);
    h.world.say(room, ALICE, "impact: fits");
    await h.settled();
    expect(repos.timeline.list(1).filter((e) => e.kind === "tag")).toEqual([]);
    expect(repos.sections.all(1).map((s) => s.text)).toEqual(["fits"]);
    const notices = h
      .notices(room)
      .filter((c) => String(c.body).includes("not filed under the timeline"));
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.body)).toContain("as /timeline add would refuse it");
    const ticks = h.world.find(room, (e) => e.type === "m.reaction" && e.sender === BOT);
    expect(ticks).toHaveLength(1); // the one for "impact: fits"
  });
});
