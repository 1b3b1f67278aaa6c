import { afterEach, describe, expect, it } from "vitest";
import { invitePolicy } from "../../../src/adapters/matrix/invitePolicy.ts";
import { ALICE, BOT, MALLORY, type MatrixHarness, matrixHarness } from "./matrixHarness.ts";

describe("MATRIX_ALLOWED_USERS", () => {
  it("without a list, allows only the bot's own homeserver (and never the bot itself)", () => {
    const { allows } = invitePolicy(undefined, "@hindsight:example.org");
    expect(allows("@alice:example.org")).toBe(true);
    expect(allows("@alice:evil.example")).toBe(false);
    expect(allows("@alice:example.org.evil.example")).toBe(false);
    expect(allows("@hindsight:example.org")).toBe(false);
  });

  it("takes comma- and space-separated globs; * crosses dots and matches whole ids", () => {
    const { allows, patterns } = invitePolicy(
      " @*:corp.example,@oncall-*:ops.example  @bob:other.example ",
      "@hindsight:example.org",
    );
    expect(patterns).toEqual(["@*:corp.example", "@oncall-*:ops.example", "@bob:other.example"]);
    expect(allows("@first.last:corp.example")).toBe(true);
    expect(allows("@oncall-eu:ops.example")).toBe(true);
    expect(allows("@bob:other.example")).toBe(true);
    expect(allows("@dev:ops.example")).toBe(false);
    expect(allows("@bobby:other.example")).toBe(false);
    expect(allows("@alice:example.org")).toBe(false); // a list replaces the default
    expect(allows("@x:corp.example.evil")).toBe(false);
  });

  it("is case-sensitive, as Matrix ids are", () => {
    expect(invitePolicy("@bob:corp.example", BOT).allows("@BOB:corp.example")).toBe(false);
  });
});

describe("MATRIX_ALLOWED_USERS on the wire", () => {
  let h: MatrixHarness;
  afterEach(async () => {
    await h.close();
    expect(h.hs.unexpected).toEqual([]);
  });

  it("joins when the inviter matches the list, even on another server", async () => {
    h = await matrixHarness({ env: { MATRIX_ALLOWED_USERS: "@mallory:evil.test, @nobody:*" } });
    h.hs.register(MALLORY);
    await h.startBot();
    const theirs = h.world.createRoom(MALLORY, { name: "partner incident" });
    h.world.invite(theirs, MALLORY, BOT);
    const answered = await h.world.waitFor(
      (e) => e.room_id === theirs && e.state_key === BOT && e.content.membership !== "invite",
    );
    expect(answered.content.membership).toBe("join");
    // alice is on the bot's server but not on the list: declined
    const ours = h.world.createRoom(ALICE, { name: "ops" });
    h.world.invite(ours, ALICE, BOT);
    const declined = await h.world.waitFor(
      (e) => e.room_id === ours && e.state_key === BOT && e.content.membership !== "invite",
    );
    expect(declined.content.membership).toBe("leave");
  });
});
