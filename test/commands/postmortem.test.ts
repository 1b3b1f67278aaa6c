import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testBot } from "../harness.ts";

describe("/postmortem", () => {
  it("set replaces a section (audited), add appends bullets, both show in the draft", () => {
    const { ok, say, repos } = testBot();
    ok("/incident start Downtime");
    ok("/postmortem set impact First wording.");
    expect(ok("/postmortem set impact Users could not log in for 20 minutes.")).toBe(
      "impact of INC-1 replaced.",
    );
    ok("/postmortem add trigger Changing the dehydrated configuration");
    ok("/postmortem add trigger Missing fallback on the backup node");
    expect(
      repos.audit.of(1).some((a) => a.entity === "section" && a.before!.includes("First wording.")),
    ).toBe(true);
    const result = say("/postmortem draft");
    if (result.kind !== "ok" || !result.reply.file) throw new Error("no draft file");
    const md = result.reply.file.content;
    expect(md).toContain("## Impact\n\nUsers could not log in for 20 minutes.\n");
    expect(md).not.toContain("First wording.");
    expect(md).toContain(
      "- Changing the dehydrated configuration\n- Missing fallback on the backup node",
    );
    expect(result.reply.file.name).toBe("2023-02-23-downtime.md");
    expect(result.reply.file.mimeType).toBe("text/markdown");
  });

  it("forgives section aliases and suggests the closest on a typo", () => {
    const { ok, fails } = testBot();
    ok("/incident start Downtime");
    expect(ok("/postmortem add root-cause keepalived was not started")).toContain("root-causes");
    expect(fails("/postmortem add lesons x")).toContain("Did you mean lessons?");
  });

  it("draft rejects a template missing from the templates folder with one line, naming those there are but no server path", () => {
    const templatesDir = mkdtempSync(join(tmpdir(), "t-"));
    writeFileSync(join(templatesDir, "short.md.liquid"), "{{ incident.ref }}\n");
    writeFileSync(join(templatesDir, "long.liquid"), "{{ incident.ref }}\n");
    const { ok, fails } = testBot({ settings: { templatesDir } });
    ok("/incident start Downtime");
    const refusal = fails("/postmortem draft --template ours");
    expect(refusal.split("\n")[0]).toBe(
      'no template named "ours"; available: default, long, short',
    );
    expect(refusal).not.toContain(templatesDir);
  });

  it("draft --template reads only from the templates folder: chat users cannot read server files", () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-templates-"));
    const templates = join(dir, "templates");
    mkdirSync(templates);
    writeFileSync(
      join(templates, "short.md.liquid"),
      "# {{ incident.ref }}: {{ incident.title }}\n",
    );
    writeFileSync(join(dir, "secret.liquid"), "top secret");
    symlinkSync(join(dir, "secret.liquid"), join(templates, "link.liquid"));
    const { ok, say, fails } = testBot({ settings: { templatesDir: templates } });
    ok("/incident start Downtime");
    const result = say("/postmortem draft --template short");
    expect(result.kind === "ok" ? result.reply.file?.content : JSON.stringify(result)).toBe(
      "# INC-1: Downtime\n",
    );
    expect(fails("/postmortem draft --template /etc/hostname")).toContain("not a path");
    expect(fails("/postmortem draft --template ../secret.liquid")).toContain("not a path");
    expect(fails("/postmortem draft --template link")).toContain("templates must be in");
    expect(fails("/postmortem draft --template nope")).toContain('no template named "nope"');
  });

  it("refuses a template that is not a regular file, even from the operator's setting", () => {
    const { ok, fails } = testBot({ settings: { template: "/dev/zero" } });
    ok("/incident start Downtime");
    expect(fails("/postmortem draft")).toContain("not a regular file");
  });

  it("shows chat mentions in the draft as plain @names", () => {
    const { ok, say } = testBot();
    ok("/incident start Login broken for <@U0BOB|bob>");
    ok("/timeline add 11:00 <@U0BOB|bob> restarted the proxy, <@U0CAROL> watched");
    ok("/action add fix the alert --owner <@U0CAROL|carol>");
    ok("/incident role commander <@U0BOB|bob>");
    const result = say("/postmortem draft");
    const md = result.kind === "ok" ? (result.reply.file?.content ?? "") : "";
    expect(md).toContain('title: "Post-mortem: Login broken for @bob on February 23, 2023"');
    expect(md).toContain("- 11:00 @bob restarted the proxy, @U0CAROL watched");
    expect(md).toContain("- [ ] fix the alert (@carol)");
    expect(md).not.toContain("&lt;@");
  });
});
