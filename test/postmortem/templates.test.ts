import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isUserError, type UserError } from "../../src/errors.ts";
import { draftFileName, loadTemplate, renderDraft } from "../../src/postmortem/render.ts";
import { slugify } from "../../src/postmortem/slug.ts";
import { headingLines, REFERENCE_HEADINGS, referenceIncident } from "./referenceIncident.ts";

const dir = mkdtempSync(join(tmpdir(), "hindsight-templates-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("loadTemplate", () => {
  it('"default" is the built-in template', () => {
    const draft = renderDraft(referenceIncident(), { template: loadTemplate("default") });
    expect(headingLines(draft)).toEqual(REFERENCE_HEADINGS);
    expect(draft).toBe(renderDraft(referenceIncident()));
  });

  it("reads a team's template from a path relative to cwd and renders escaped variables", () => {
    write(
      "team.md.liquid",
      [
        "# {{ incident.ref }}: {{ incident.title }} (SEV{{ incident.severity }}, {{ incident.status }})",
        "Commander: {{ incident.roles.commander }}",
        "Started {{ incident.date_long }}; resolved in {{ durations.resolve.text }}.",
        "{{ sections.impact.markdown }}",
        "{% for e in timeline %}* {{ e.time }} [{{ e.kind }}] {{ e.text }}",
        "{% endfor %}Raw title: {{ raw.incident.title | upcase }}",
        "",
      ].join("\n"),
    );
    const data = referenceIncident();
    data.incident.title = "Down <b>";
    const draft = renderDraft(data, { template: loadTemplate("team.md.liquid", dir) });
    const lines = draft.split("\n");
    expect(lines[0]).toBe("# INC-1: Down &lt;b> (SEV2, resolved)");
    expect(lines[1]).toBe("Commander: Adrian");
    expect(lines[2]).toBe("Started February 23, 2023; resolved in 25 min.");
    expect(lines[3]).toBe(
      "Our reference server was providing a wrong/ outdated certificate for around 20 minutes.",
    );
    expect(lines[4]).toBe("* 10:00 [note] started to deploy the new Salt setup");
    expect(lines).toContain("* 10:10 [status] Status: identified");
    expect(lines).toContain("Raw title: DOWN <B>");
  });

  it("accepts an absolute path", () => {
    const path = write("abs.liquid", "{{ incident.ref }}");
    expect(renderDraft(referenceIncident(), { template: loadTemplate(path, "/") })).toBe("INC-1");
  });

  it("reports a missing file as a one-line UserError", () => {
    const error = userErrorOf(() => loadTemplate("nope.liquid", dir));
    expect(error.message).toBe(
      `Template file not found: nope.liquid (${join(dir, "nope.liquid")})`,
    );
  });

  it("reports a directory as a UserError", () => {
    expect(userErrorOf(() => loadTemplate(dir)).message).toContain("is a directory");
  });

  it("reports a Liquid syntax error when the template is loaded, as one line", () => {
    const path = write("broken.liquid", "## Impact\n{% if sections.impact.empty %}\nnothing\n");
    const error = userErrorOf(() => loadTemplate(path));
    expect(error.message).toMatch(/^Template .*broken\.liquid has an error: .*not closed/);
    expect(error.message).not.toContain("\n");
  });

  it("reports an unknown filter (a typo, or a Jekyll plugin's filter) when loaded", () => {
    const path = write("filter.liquid", "{{ incident.title | upcasee }}{{ x | markdownify }}");
    expect(userErrorOf(() => loadTemplate(path)).message).toContain("upcasee");
  });

  it("has Jekyll's date filters, in UTC whatever the server's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Pacific/Kiritimati"; // UTC+14: 10:00 UTC is already the next day there
    try {
      const template =
        '{{ incident.started_at | date_to_string }} {{ incident.started_at | date: "%H:%M" }}';
      expect(renderDraft(referenceIncident(), { template })).toBe("23 Feb 2023 10:00");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("reports template source errors passed to renderDraft as UserError too", () => {
    const error = userErrorOf(() => renderDraft(referenceIncident(), { template: "{{ x" }));
    expect(error.message).toMatch(/^The template has an error: /);
  });

  it("does not HTML-escape output: Markdown needs quotes and ampersands as they are", () => {
    const data = referenceIncident();
    data.incident.title = `"R&D" isn't down`;
    expect(renderDraft(data, { template: "{{ incident.title }}" })).toBe(`"R&D" isn't down`);
  });
});

describe("draftFileName", () => {
  const named = (title: string, startedAt = Date.parse("2023-02-23T10:00:00Z")) => {
    const data = referenceIncident();
    data.incident.title = title;
    data.incident.startedAt = startedAt;
    return draftFileName(data);
  };

  it("is Jekyll's YYYY-MM-DD-slug.md, dated by the start in UTC", () => {
    expect(named("Downtime")).toBe("2023-02-23-downtime.md");
    expect(named("Late", Date.parse("2023-02-23T23:30:00-05:00"))).toBe("2023-02-24-late.md");
  });

  it("lowercases, drops accents and joins words with single dashes", () => {
    expect(named("  API 502s -- on *login*-proxy!! ")).toBe(
      "2023-02-23-api-502s-on-login-proxy.md",
    );
    expect(named("Café Größe über")).toBe("2023-02-23-cafe-gro-e-uber.md");
  });

  it("falls back to inc-<n> when nothing is left", () => {
    expect(named("🔥🔥")).toBe("2023-02-23-inc-1.md");
    expect(named("")).toBe("2023-02-23-inc-1.md");
  });

  it("keeps slugs to about 60 characters, cut between words", () => {
    const slug = slugify(
      "database failover took far longer than expected because the replica was lagging",
    );
    expect(slug).toBe("database-failover-took-far-longer-than-expected-because-the");
    expect(slugify("x".repeat(80))).toBe("x".repeat(60));
  });
});
