import { describe, expect, it } from "vitest";
import type { DraftData } from "../../src/incidents/draftData.ts";
import { renderDraft } from "../../src/postmortem/render.ts";
import {
  at,
  headingLines,
  noSections,
  REFERENCE_HEADINGS,
  REFERENCE_TIMELINE,
  referenceIncident,
} from "./referenceIncident.ts";

/** The body of one `## ` section, between its heading and the next. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.indexOf("\n## ");
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

describe("renderDraft with the default template (reference incident)", () => {
  const draft = renderDraft(referenceIncident());
  const lines = draft.split("\n");

  it("opens with Jekyll front matter", () => {
    expect(lines.slice(0, 5)).toEqual([
      "---",
      "layout: post",
      'title: "Post-mortem: Downtime on February 23, 2023"',
      "category: deployments",
      "---",
    ]);
    expect(lines[5]).toBe("");
  });

  it("has the reference headings in the reference order", () => {
    expect(headingLines(draft)).toEqual(REFERENCE_HEADINGS);
  });

  it("uses the summary as the intro paragraph, text as typed, then the roles", () => {
    expect(lines[6]).toBe(
      "Some maintenance operations plus a missing configuration rollback caused a 20 minutes",
    );
    expect(lines[7]).toBe(
      "certificate error on our [reference server](https://build.opensuse.org).",
    );
    expect(lines[8]).toBe("");
    expect(lines[9]).toBe("_Commander: Adrian_");
    expect(lines[10]).toBe("");
    expect(lines[11]).toBe("## Impact");
  });

  it("names every role held, in a fixed order, without a heading of its own", () => {
    const data = referenceIncident();
    data.incident.roles = { scribe: "Carl", commander: "Adrian", comms: "<b>Bea</b>" };
    const md = renderDraft(data);
    expect(md).toContain("\n_Commander: Adrian · comms: &lt;b>Bea&lt;/b> · scribe: Carl_\n");
    expect(headingLines(md)).toEqual(REFERENCE_HEADINGS);
  });

  it("renders the six reference timeline lines in order, among the recorded ones", () => {
    const timeline = section(draft, "## Timeline (times in UTC)");
    const entries = timeline.split("\n").filter((line) => line.startsWith("- "));
    const expected = REFERENCE_TIMELINE.map(([time, text]) => `- ${time} ${text}`);
    expect(entries.filter((line) => expected.includes(line))).toEqual(expected);
    expect(entries).toHaveLength(10);
    expect(entries[2]).toBe("- 10:05 Incident declared: Downtime (SEV2)");
  });

  it("puts the milestones and durations right under the timeline heading", () => {
    // Identified 10:10 and monitoring 10:20 set identified and mitigated; impact-start defaults to
    // the declared start and impact-end to mitigated. Nothing marked "detected": no time to detect.
    expect(section(draft, "## Timeline (times in UTC)").split("\n").slice(0, 3)).toEqual([
      "_Milestones (UTC): declared 10:00 · impact started 10:00 · identified 10:10 · mitigated 10:20 · impact ended 10:20 · resolved 10:25_",
      "",
      "_Impact: 20 min · time to identify: 10 min · to mitigate: 20 min · to resolve: 25 min_",
    ]);
  });

  it("renders done action items as checked boxes and keeps their owner and due date", () => {
    expect(section(draft, "## Action items")).toBe(
      "- [x] Check and fix the Salt profile for dehydrated\n" +
        "- [x] Always run a 'Salt highstate' once a machine gets included in the production workload again. (Adrian, due 2023-03-01)",
    );
  });

  it("renders paragraphs as paragraphs and bullets as one list, multi-line items indented", () => {
    expect(section(draft, "## Root Causes")).toBe(
      "It is common to perform updating operations in our systems during maintenance windows.\n\n" +
        "Switching over to the secondary system did not work as intended.",
    );
    expect(section(draft, "## Trigger")).toBe(
      "- Changing the dehydrated configuration to a setup that is generated via Salt\n" +
        "- Missing fallback capabilities because of disabled service on the backup\n  node",
    );
  });

  it("ends with exactly one newline", () => {
    expect(draft.endsWith("machine\n- 10:25 Resolved\n")).toBe(true);
  });
});

describe("renderDraft, other shapes", () => {
  const bare = (): DraftData => ({ ...referenceIncident(), sections: noSections(), actions: [] });

  it("keeps the heading of an empty section and explains it in an HTML comment", () => {
    const draft = renderDraft(bare());
    expect(headingLines(draft)).toEqual(REFERENCE_HEADINGS);
    expect(section(draft, "## Impact")).toBe(
      "<!-- What users and systems were affected, how badly and for how long. -->",
    );
    expect(section(draft, "## Action items")).toMatch(/^<!-- .+ -->$/);
    for (const heading of REFERENCE_HEADINGS.slice(0, -1)) {
      expect(section(draft, heading), heading).toMatch(/^<!-- [^\n]+ -->$/);
    }
  });

  it("writes an intro sentence with the impact's duration when there is no summary", () => {
    // Impact: 10:00 (declared start) to 10:20 (monitoring, i.e. mitigated), not to the resolution.
    expect(renderDraft(bare()).split("\n")[6]).toBe("INC-1 (Downtime) lasted around 20 minutes.");
    const marked = bare();
    marked.timeline.push({
      at: at("10:22"),
      text: "impact ended",
      kind: "milestone",
      milestone: "impact-end",
    });
    expect(renderDraft(marked).split("\n")[6]).toBe("INC-1 (Downtime) lasted around 22 minutes.");
  });

  it("says an unresolved incident is ongoing and leaves out what cannot be measured", () => {
    const data = bare();
    data.incident.resolvedAt = null;
    data.incident.status = "monitoring";
    data.timeline = data.timeline.filter((entry) => entry.kind === "note");
    const draft = renderDraft(data);
    expect(draft.split("\n")[6]).toBe(
      "INC-1 (Downtime) started on February 23, 2023 at 10:00 UTC and is still ongoing.",
    );
    // Nothing has ended and nothing was detected: no duration is guessed, no milestone line.
    expect(draft).not.toContain("Time to");
    expect(draft).not.toContain("_Impact");
    expect(draft).not.toContain("_Milestones");
  });

  it("measures from impact-start, never from an entry that merely came first", () => {
    const data = bare();
    data.timeline.unshift({ at: at("09:10"), text: "news reports of outages", kind: "pin" });
    let draft = renderDraft(data);
    expect(draft).toContain(
      "_Impact: 20 min · time to identify: 10 min · to mitigate: 20 min · to resolve: 25 min_",
    );
    expect(draft).toContain("- 09:10 news reports of outages\n- 10:00 started");
    data.timeline.unshift(
      { at: at("09:40"), text: "impact started", kind: "milestone", milestone: "impact-start" },
      { at: at("09:55"), text: "detected", kind: "milestone", milestone: "detected" },
    );
    draft = renderDraft(data);
    expect(draft).toContain(
      "_Impact: 40 min · time to detect: 15 min · to identify: 30 min · to mitigate: 40 min · to resolve: 45 min_",
    );
    expect(draft.split("\n")[6]).toBe("INC-1 (Downtime) lasted around 40 minutes.");
  });

  it("dates every timeline line when the entries span more than one UTC day", () => {
    const data = bare();
    data.timeline.push({ at: at("00:05", "2023-02-24"), text: "all quiet", kind: "note" });
    const timeline = section(renderDraft(data), "## Timeline (times in UTC)");
    const entries = timeline.split("\n").filter((line) => line.startsWith("- "));
    expect(entries[0]).toBe("- 2023-02-23 10:00 started to deploy the new Salt setup");
    expect(entries.at(-1)).toBe("- 2023-02-24 00:05 all quiet");
    expect(entries.every((line) => /^- \d{4}-\d\d-\d\d \d\d:\d\d /.test(line))).toBe(true);
  });

  it("keeps the given order of entries with equal times", () => {
    const data = bare();
    data.timeline = [
      { at: at("10:00"), text: "b", kind: "note" },
      { at: at("10:00"), text: "a", kind: "note" },
    ];
    expect(renderDraft(data)).toContain("- 10:00 b\n- 10:00 a\n");
  });

  it("shows owner and due date of open action items, leaving out what is missing", () => {
    const data = bare();
    data.actions = [
      {
        number: 1,
        text: "Alert on certificate expiry",
        done: false,
        owner: "Ana",
        due: "2023-03-01",
      },
      { number: 2, text: "Document failover", done: false, owner: null, due: "2023-03-10" },
      { number: 3, text: "Add step-ca to tests", done: false, owner: "Bo", due: null },
      { number: 4, text: "Review keepalived", done: false, owner: null, due: null },
    ];
    expect(section(renderDraft(data), "## Action items").split("\n")).toEqual([
      "- [ ] Alert on certificate expiry (Ana, due 2023-03-01)",
      "- [ ] Document failover (due 2023-03-10)",
      "- [ ] Add step-ca to tests (Bo)",
      "- [ ] Review keepalived",
    ]);
  });

  it("renders an empty timeline as a comment and without a durations line when none apply", () => {
    const data = bare();
    data.timeline = [];
    data.incident.declaredAt = at("09:00"); // before the start: no time to detect
    data.incident.resolvedAt = null;
    const timeline = section(renderDraft(data), "## Timeline (times in UTC)");
    expect(timeline).toMatch(/^<!-- [^\n]+ -->$/);
  });
});
