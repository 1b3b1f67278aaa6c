import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headings, REFERENCE_HEADINGS, REFERENCE_MARKDOWN } from "../reference.ts";

/**
 * Re-enacts the published post-mortem (test/fixtures/reference-post-mortem.md) by piping
 * chat commands into the real entry point, exactly as a user would type them in the terminal.
 */
const SCRIPT = `
/incident start Downtime --sev 2 --at "2023-02-23 10:00 UTC"
/timeline add 10:00 started to deploy the new Salt setup
/timeline add 10:05 noticed a problem with the webserver on the main login-proxy
/timeline add 10:06 checking the failover machine
/incident status identified --at 10:10
/timeline add 10:10 found the issue on the failover machine and started keepalived again
/timeline add 10:20 found the issue on the main machine and fixed the scripts and filesystem ACLs
/timeline add 10:25 final rollout of the fixed scripts and rollback of the services to the main machine
/postmortem set summary Some maintenance operations plus a missing configuration rollback caused a 20 minutes certificate error on our [reference server](https://build.opensuse.org).
/postmortem set impact Our [reference server](https://build.opensuse.org) was providing an wrong/ outdated certificate for around 20 minutes.
root cause: a planned improvement of our Salt deployment together with a missed configuration rollback
root cause: the keepalived service on the backup system was not started
trigger: Changing the dehydrated configuration to a setup generated and deployed via Salt
/postmortem set detection The team detected directly that the post-run hook of dehydrated went wrong.
resolution: Fixing the post-run hook script of dehydrated and adjusting filesystem ACLs
resolution: Re-enabling keepalived on the secondary node fixed the failover.
/action add Check and fix the Salt profile for dehydrated
/action add Always run a 'Salt highstate' once a machine gets included in the production workload again.
/action done 1
/action done 2
lesson: Our test environment did not cover the dehydrated setup
/postmortem set went-well The team quickly realized the broken certificate and was working closely together.
went wrong: Not running highstate on all machines after the last downtime
lucky: Directly getting aware of the problem.
/incident resolve --at "2023-02-23 10:25 UTC"
/postmortem draft
`;

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string>, input = "") {
  return spawnSync(process.execPath, [MAIN, ...args], {
    input,
    env: { ...process.env, ...env, HINDSIGHT_LOG_LEVEL: "warn", NO_COLOR: "1" },
    encoding: "utf8",
  });
}

const timelineLines = (md: string) =>
  md
    .split("\n")
    .filter((l) => /^- \d{2}:\d{2} /.test(l))
    .map((l) => l.trimEnd());

describe("re-enacting the reference post-mortem in the terminal", () => {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-e2e-"));
  const env = {
    HINDSIGHT_DB: join(dir, "hindsight.db"),
    HINDSIGHT_POSTMORTEM_CATEGORY: "deployments",
  };
  const session = run(["start"], env, SCRIPT);
  const draft =
    /--- 2023-02-23-downtime\.md ---\n([\s\S]*?)--- end of 2023-02-23-downtime\.md ---/.exec(
      session.stdout,
    )?.[1] ?? "";

  it("reads the piped script to the end and exits 0", () => {
    expect(session.stderr).not.toMatch(/error|exception/i);
    expect(session.stdout).not.toContain("error:");
    expect(session.status).toBe(0);
    expect(draft).not.toBe("");
  });

  it("has the reference's front matter title", () => {
    const title = (md: string) => md.split("\n").find((l) => l.startsWith("title:"));
    expect(title(draft)).toBe(title(REFERENCE_MARKDOWN));
    expect(draft.startsWith("---\nlayout: post\n")).toBe(true);
    expect(draft).toContain("\ncategory: deployments\n");
  });

  it("has exactly the reference's headings, in order", () => {
    expect(headings(draft)).toEqual(REFERENCE_HEADINGS);
  });

  it("has the reference's six timeline lines in order, bot entries allowed between them", () => {
    const expected = timelineLines(REFERENCE_MARKDOWN);
    expect(expected).toHaveLength(6);
    const actual = timelineLines(draft);
    const positions = expected.map((line) => actual.indexOf(line));
    expect(
      positions.every((p) => p >= 0),
      `missing: ${expected.filter((_, i) => positions[i]! < 0)}`,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("has the two action items as checked boxes", () => {
    const items = draft.split("\n").filter((l) => /^- \[[ x]\]/.test(l));
    expect(items).toEqual([
      "- [x] Check and fix the Salt profile for dehydrated",
      "- [x] Always run a 'Salt highstate' once a machine gets included in the production workload again.",
    ]);
  });

  it("uses the summary as the intro and files the tagged messages into their sections", () => {
    expect(draft).toContain(
      "---\n\nSome maintenance operations plus a missing configuration rollback",
    );
    const rootCauses = draft.slice(draft.indexOf("## Root Causes"), draft.indexOf("## Trigger"));
    expect(rootCauses).toContain("- the keepalived service on the backup system was not started");
  });

  it("writes the same draft from the command line, and lists the incident", () => {
    const out = join(dir, "post.md");
    const written = run(["draft", "INC-1", "--out", out], env);
    expect(written.status).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(draft);
    const listed = run(["list", "--all"], env);
    expect(listed.stdout).toContain(
      "INC-1 Downtime · SEV2 · resolved · started 2023-02-23 10:00 UTC",
    );
    const defaultName = execFileSync(process.execPath, [MAIN, "draft", "1"], {
      cwd: dir,
      env: { ...process.env, ...env, HINDSIGHT_LOG_LEVEL: "warn" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(defaultName).toBe("");
    expect(readFileSync(join(dir, "2023-02-23-downtime.md"), "utf8")).toBe(draft);
  });

  it("refuses a draft of an incident that does not exist with one line and exit code 2", () => {
    const missing = run(["draft", "INC-42"], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe("hindsight: INC-42 does not exist");
  });
});
