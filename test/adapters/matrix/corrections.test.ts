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

const relation = (content: Record<string, unknown>) =>
  content["m.relates_to"] as { rel_type?: string } | undefined;

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

describe("Matrix: corrections and the pinned summary", () => {
  it("!incident rename and !action edit edit the pinned card", async () => {
    const { room } = await incidentRoom(h);
    const card = () =>
      h.world
        .find(room, (e) => e.sender === BOT && relation(e.content)?.rel_type === "m.replace")
        .map((e) => String((e.content["m.new_content"] as { body?: string } | undefined)?.body))
        .at(-1);
    h.world.say(room, ALICE, "!incident rename Certificate errors on the login proxy");
    await h.settled();
    expect(card()).toContain("INC-1: Certificate errors on the login proxy");
    h.world.say(room, ALICE, "action: renew the certificate");
    h.world.say(room, ALICE, "!action edit 1 --owner @bob:fake.test");
    await h.settled();
    expect(card()).toContain("• 1. renew the certificate (@bob:fake.test)");
  });
});
