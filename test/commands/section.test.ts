import { describe, expect, it } from "vitest";
import { takeSection } from "../../commands/section.ts";
import { testBot } from "../harness.ts";

describe("section names as people type them", () => {
  it.each([
    ['"root causes" the certificate expired', "root-causes"],
    ["“root causes” the certificate expired", "root-causes"],
    ["‘went well’ the certificate expired", "went-well"],
    ["root causes the certificate expired", "root-causes"],
    ["Root Causes: the certificate expired", "root-causes"],
    ["root-cause the certificate expired", "root-causes"],
    ["went well the certificate expired", "went-well"],
    ['"What Went Well?" the certificate expired', "went-well"],
    ["What Went Wrong? the certificate expired", "went-wrong"],
    ["where we got lucky the certificate expired", "lucky"],
    ['"lessons learned" the certificate expired', "lessons"],
    ["impact: the certificate expired", "impact"],
  ])("%s", (typed, section) => {
    expect(takeSection(typed)).toEqual({ section, rest: "the certificate expired" });
  });

  it("a single word that is a section wins, so the text keeps its own words", () => {
    expect(takeSection("lessons learned the hard way")).toEqual({
      section: "lessons",
      rest: "learned the hard way",
    });
    expect(takeSection('impact "users saw 502s"')).toEqual({
      section: "impact",
      rest: '"users saw 502s"',
    });
  });

  it("names an unknown quoted section without its quotes, with a did you mean", () => {
    expect(() => takeSection('"root causez" x')).toThrow(
      'unknown section "root causez". Did you mean root-causes?',
    );
    expect(() => takeSection("went x")).toThrow('unknown section "went".');
  });

  it('/postmortem set "root causes" files the text under Root Causes', () => {
    const { ok, repos } = testBot();
    ok("/incident start Downtime");
    expect(ok('/postmortem set "root causes" the certificate expired')).toContain("root-causes");
    ok("/postmortem add went well paging worked");
    expect(repos.sections.section(1, "root-causes").map((i) => i.text)).toEqual([
      "the certificate expired",
    ]);
    expect(repos.sections.section(1, "went-well").map((i) => i.text)).toEqual(["paging worked"]);
  });
});
