import { describe, expect, it } from "vitest";
import { draftDataFor } from "../../src/incidents/draftMaterial.ts";
import { renderDraft } from "../../src/postmortem/render.ts";
import { testBot } from "../harness.ts";

describe("/incident update", () => {
  it("is recorded, echoes its time in UTC, asks to be posted and shows on the card", () => {
    const { ok, say, repos, clock } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok("/incident start Downtime --sev 2");
    clock.set("2023-02-23T10:20:00Z");
    const result = say("/incident update Failover *done*, watching <https://grafana/x>");
    expect(result.kind).toBe("ok");
    if (result.kind !== "ok") return;
    expect(result.reply.text).toBe("Update on INC-1 posted at 2023-02-23 10:20 UTC.");
    expect(result.reply.visibility).toBe("channel");
    expect(result.reply.effects).toMatchObject([
      {
        kind: "incident-update",
        text: "INC-1 update (Downtime · SEV2 · investigating): Failover *done*, watching <https://grafana/x> (alice, 2023-02-23 10:20 UTC)",
      },
      { kind: "incident-changed" },
    ]);
    expect(repos.updates.list(1)).toMatchObject([
      { text: "Failover *done*, watching <https://grafana/x>", authorName: "alice" },
    ]);
    expect(repos.timeline.list(1).at(-1)).toMatchObject({
      kind: "note",
      at: Date.parse("2023-02-23T10:20:00Z"),
      text: "status update: Failover *done*, watching <https://grafana/x>",
    });
    expect(ok("/incident status")).toContain(
      "Latest update (2023-02-23 10:20 UTC, alice): Failover *done*, watching <https://grafana/x>",
    );
  });

  it("the card shows only the latest update, and none before the first", () => {
    const { ok, clock } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok("/incident start Downtime");
    expect(ok("/incident status")).not.toContain("Latest update");
    ok("/incident update one");
    clock.set("2023-02-23T10:05:00Z");
    ok("/incident update two");
    const card = ok("/incident status");
    expect(card).toContain("Latest update (2023-02-23 10:05 UTC, alice): two");
    expect(card).not.toContain(": one");
  });

  it("without text: one line and the usage, nothing written", () => {
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    const before = snapshot();
    const error = fails("/incident update   ");
    expect(error).toContain("update text is missing");
    expect(error).toContain("/incident update <text>");
    expect(snapshot()).toBe(before);
  });

  it("is in the draft's timeline and in the templates' update list", () => {
    const { ok, say } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok("/incident start Downtime");
    ok("/incident update failover started");
    const draft = say("/postmortem draft");
    expect(draft.kind === "ok" && draft.reply.file?.content).toContain(
      "- 10:00 status update: failover started",
    );
  });

  it("templates get the updates as their own list, escaped", () => {
    const { ok, repos, clock } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok("/incident start Downtime");
    ok("/incident update # failover started");
    clock.set("2023-02-23T10:30:00Z");
    ok("/incident update all clear");
    const data = draftDataFor(repos, repos.incidents.get(1)!, "incidents");
    const template =
      "{% for u in updates %}{{ u.time }}|{{ u.text }}|{{ u.author }}\n{% endfor %}{{ updates[1].markdown }}";
    expect(renderDraft(data, { template })).toBe(
      "10:00|\\# failover started|alice\n10:30|all clear|alice\n- 2023-02-23 10:30 all clear (alice)",
    );
  });

  it("in a write-up it is kept and shown, but not put on the timeline with today's date", () => {
    const { ok, repos } = testBot({ now: "2023-02-23T10:00:00Z" });
    ok('/incident start Old outage --at "2023-02-20 10:00"');
    const entries = repos.timeline.count(1);
    expect(ok("/incident update all clear since Monday")).toBe(
      "Update on INC-1 posted at 2023-02-23 10:00 UTC. Not on the timeline: INC-1 is being written up (add it with /timeline add <when> <text>).",
    );
    expect(repos.timeline.count(1)).toBe(entries);
    expect(repos.updates.list(1).map((u) => u.text)).toEqual(["all clear since Monday"]);
  });
});
