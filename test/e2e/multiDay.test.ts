import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_HEADINGS } from "../reference.ts";

/**
 * Re-enacts a real multi-day incident as someone writing it up years later would type it, piped
 * into the real entry point: GitHub's DNS incident of October 11, 2024, as published in "GitHub
 * Availability Report: October 2024" (github.blog, news-insights/company-news): "October 11 05:59
 * UTC (lasting 19 hours and 12 minutes)", first customer impact around 17:31, repointing at 18:05,
 * remediation plan at 20:52, DNS recovering at 21:46 and fully healthy at 22:16, lingering code
 * search issues resolved at 01:11 UTC on October 12.
 *
 * Every bare time after the start is read in write-up mode, near the latest typed time: 01:11
 * after 22:16 is the next day, although the session runs in 2026.
 */
const SCRIPT = `
/incident start DNS failures in one site --sev 1 --at "2024-10-11 05:59 UTC"
/incident role commander @dns-oncall --at 06:10
/timeline add 05:59 DNS infrastructure in one site started failing to resolve lookups following a database migration
/timeline add 17:31 first customer impact
/incident mark detected 17:31
/timeline add 18:05 repointing the degraded DNS site to a different site, which broke connectivity from healthy sites
/incident status identified --at 20:52 remediation plan finalized
/timeline add 20:52 deploying temporary DNS resolution capabilities to the degraded site
/timeline add 21:46 DNS resolution in the degraded site began to recover
/incident status monitoring --at 22:16
/timeline add 22:16 DNS resolution fully healthy
/timeline add 01:11 lingering issues with code search resolved
/incident mark impact-end 01:11
/incident resolve --at 01:11
/postmortem draft
`;

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

describe("re-enacting GitHub's October 11, 2024 DNS incident in the terminal", () => {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-e2e-multiday-"));
  const session = spawnSync(process.execPath, [MAIN, "start"], {
    input: SCRIPT,
    env: {
      ...process.env,
      HINDSIGHT_DB: join(dir, "hindsight.db"),
      HINDSIGHT_LOG_LEVEL: "warn",
      NO_COLOR: "1",
    },
    encoding: "utf8",
  });
  const name = "2024-10-11-dns-failures-in-one-site.md";
  const draft =
    new RegExp(`--- ${name} ---\\n([\\s\\S]*?)--- end of ${name} ---`).exec(session.stdout)?.[1] ??
    "";
  const lines = draft.split("\n").map((l) => l.trimEnd());

  it("takes every line and exits 0", () => {
    expect(session.stdout).not.toContain("error:");
    expect(session.status).toBe(0);
    expect(draft).not.toBe("");
  });

  it("puts every timeline line on its published date and time", () => {
    const timeline = lines.filter((l) => /^- \d{4}-\d\d-\d\d \d\d:\d\d /.test(l));
    expect(timeline).toEqual([
      "- 2024-10-11 05:59 incident declared (SEV1)",
      "- 2024-10-11 05:59 DNS infrastructure in one site started failing to resolve lookups following a database migration",
      "- 2024-10-11 06:10 @dns-oncall is now commander",
      "- 2024-10-11 17:31 first customer impact",
      "- 2024-10-11 17:31 detected",
      "- 2024-10-11 18:05 repointing the degraded DNS site to a different site, which broke connectivity from healthy sites",
      "- 2024-10-11 20:52 status changed to identified: remediation plan finalized",
      "- 2024-10-11 20:52 deploying temporary DNS resolution capabilities to the degraded site",
      "- 2024-10-11 21:46 DNS resolution in the degraded site began to recover",
      "- 2024-10-11 22:16 status changed to monitoring",
      "- 2024-10-11 22:16 DNS resolution fully healthy",
      "- 2024-10-12 01:11 lingering issues with code search resolved",
      "- 2024-10-12 01:11 impact ended",
      "- 2024-10-12 01:11 incident resolved",
    ]);
  });

  it("gives the published impact, 19 hours and 12 minutes, and the durations from 05:59", () => {
    expect(lines).toContain(
      "INC-1 (DNS failures in one site) lasted around 19 hours and 12 minutes.",
    );
    expect(lines).toContain(
      "_Impact: 19 h 12 min · time to detect: 11 h 32 min · to identify: 14 h 53 min · to mitigate: 16 h 17 min · to resolve: 19 h 12 min_",
    );
    expect(lines).toContain(
      "_Milestones (UTC): declared 2024-10-11 05:59 · impact started 2024-10-11 05:59 · detected 2024-10-11 17:31 · identified 2024-10-11 20:52 · mitigated 2024-10-11 22:16 · impact ended 2024-10-12 01:11 · resolved 2024-10-12 01:11_",
    );
    expect(lines).toContain("_Commander: @dns-oncall_");
  });

  it("keeps the reference headings and never names the terminal's OS account", () => {
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(REFERENCE_HEADINGS);
    expect(draft).not.toMatch(new RegExp(`\\b${userInfo().username}\\b`));
  });
});
