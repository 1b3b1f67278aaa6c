import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("/action", () => {
  it("adds, completes, reopens, lists and removes action items", () => {
    const { ok, fails, repos } = testBot();
    ok("/incident start Downtime");
    expect(ok("/action add Check the Salt profile --owner @alice --due 2023-03-10")).toBe(
      "Action 1 added: Check the Salt profile (@alice, due 2023-03-10)",
    );
    ok("/action add Always run highstate");
    ok("/action done 1");
    expect(fails("/action done 1")).toContain("already done");
    expect(ok("/action list")).toBe(
      "[x] 1. Check the Salt profile (@alice, due 2023-03-10)\n[ ] 2. Always run highstate",
    );
    ok("/action undo 1");
    expect(repos.actions.get(1, 1)!.doneAt).toBeNull();
    ok("/action remove 2");
    expect(fails("/action done 2")).toContain("there is no action item 2");
    expect(repos.actions.list(1).map((a) => a.number)).toEqual([1]);
  });

  it("rejects impossible due dates and missing text without writing anything", () => {
    const { ok, fails, snapshot } = testBot();
    ok("/incident start Downtime");
    const before = snapshot();
    expect(fails("/action add fix it --due 2023-02-30")).toContain("--due: no such date");
    // `tomorrow` is a due date now (see "due dates" below); a word that is none still is not.
    expect(fails("/action add fix it --due someday")).toContain(
      '--due: "someday" is not a date: use YYYY-MM-DD, today, tomorrow, +3d or +2w',
    );
    expect(fails("/action add --owner @bob")).toContain("text is missing");
    expect(fails("/action done one")).toContain("must be a number");
    expect(snapshot()).toBe(before);
  });
});
