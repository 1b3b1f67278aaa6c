import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeGitHub } from "../fakes/githubApi.ts";
import { startFakeJira } from "../fakes/jiraApi.ts";
import { killChildren, MAIN, run } from "../ops/child.ts";

describe("/action export in the terminal, end to end", () => {
  const dirs: string[] = [];
  afterEach(() => {
    killChildren();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("a piped script files the item, prints the outcome before exiting, and the link is kept", async () => {
    const gh = await startFakeGitHub({ repo: "acme/ops", token: "ghp_test", now: Date.now });
    try {
      const dir = mkdtempSync(join(tmpdir(), "hindsight-export-"));
      dirs.push(dir);
      const env = {
        HINDSIGHT_DB: join(dir, "hindsight.db"),
        HINDSIGHT_LOG_LEVEL: "warn",
        HINDSIGHT_TRACKER: "github",
        HINDSIGHT_TRACKER_URL: gh.origin,
        HINDSIGHT_TRACKER_PROJECT: "acme/ops",
        HINDSIGHT_TRACKER_TOKEN: "ghp_test",
      };
      const first = run(MAIN, ["start"], env, dir);
      first.process.stdin!.end(
        [
          "/incident start Downtime --sev 2",
          "/action add Fix the failover --owner @alice",
          "/action export 1",
        ].join("\n"),
      );
      expect((await first.exited).code).toBe(0);
      expect(first.stdout()).toContain("Exporting action 1 to GitHub…");
      expect(first.stdout()).toContain(
        "Exported 1 action item to GitHub: 1 → https://github.example/acme/ops/issues/1",
      );
      expect(gh.issues.map((i) => i.title)).toEqual(["Fix the failover"]);
      expect(first.stderr()).not.toContain("ghp_test");

      const second = run(MAIN, ["start"], env, dir);
      second.process.stdin!.end("/action list INC-1\n");
      expect((await second.exited).code).toBe(0);
      expect(second.stdout()).toContain(
        "[ ] 1. Fix the failover (@alice) → #1 https://github.example/acme/ops/issues/1",
      );
      expect(gh.unexpected).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  it("Jira: the same from a piped script, and the process still ends on its own", async () => {
    const jira = await startFakeJira({
      project: "OPS",
      email: "alice@example.org",
      token: "jira-token",
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), "hindsight-export-"));
      dirs.push(dir);
      const child = run(
        MAIN,
        ["start"],
        {
          HINDSIGHT_DB: join(dir, "hindsight.db"),
          HINDSIGHT_LOG_LEVEL: "warn",
          HINDSIGHT_TRACKER: "jira",
          HINDSIGHT_TRACKER_URL: jira.origin,
          HINDSIGHT_TRACKER_PROJECT: "OPS",
          HINDSIGHT_TRACKER_TOKEN: "alice@example.org:jira-token",
        },
        dir,
      );
      child.process.stdin!.end(
        ["/incident start Downtime", "/action add Fix it", "/action export all"].join("\n"),
      );
      // The fake keeps its connections alive for a minute: exiting proves the client's idle
      // connections do not hold the process.
      expect((await child.exited).code).toBe(0);
      expect(child.stdout()).toContain(
        `Exported 1 action item to Jira: 1 → ${jira.origin}/browse/OPS-1`,
      );
      expect(jira.issues.map((i) => i.summary)).toEqual(["Fix it"]);
    } finally {
      await jira.close();
    }
  });
});
