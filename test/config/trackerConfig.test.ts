import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((l) => l.replace(/^\s*- /, ""));
  }
};

describe("tracker settings", () => {
  it("a tracker without project and token stops the start, listed with the other problems", () => {
    expect(problems({ HINDSIGHT_TRACKER: "github", HINDSIGHT_TIMEZONE: "Mars/Base" })).toEqual([
      "HINDSIGHT_TIMEZONE must be an IANA zone like UTC or Europe/Berlin",
      "HINDSIGHT_TRACKER_PROJECT is required for github (owner/repo)",
      "HINDSIGHT_TRACKER_TOKEN is required for github",
    ]);
  });

  it("checks the project's shape for each tracker, and Jira needs its site", () => {
    expect(
      problems({
        HINDSIGHT_TRACKER: "github",
        HINDSIGHT_TRACKER_PROJECT: "just-a-repo",
        HINDSIGHT_TRACKER_TOKEN: "t",
      }),
    ).toEqual(["HINDSIGHT_TRACKER_PROJECT must be owner/repo for github"]);
    expect(
      problems({
        HINDSIGHT_TRACKER: "jira",
        HINDSIGHT_TRACKER_PROJECT: "acme/ops",
        HINDSIGHT_TRACKER_TOKEN: "t",
      }),
    ).toEqual([
      "HINDSIGHT_TRACKER_PROJECT must be a project key like OPS for jira",
      "HINDSIGHT_TRACKER_URL is required for jira (your site, like https://your-team.atlassian.net)",
    ]);
    expect(
      problems({
        HINDSIGHT_TRACKER: "gitlab",
        HINDSIGHT_TRACKER_PROJECT: "group/sub/project",
        HINDSIGHT_TRACKER_TOKEN: "t",
      }),
    ).toEqual([]);
    expect(
      problems({
        HINDSIGHT_TRACKER: "gitlab",
        HINDSIGHT_TRACKER_PROJECT: "278964",
        HINDSIGHT_TRACKER_TOKEN: "t",
      }),
    ).toEqual([]);
  });

  it("names the tracker when only its other settings are given, and refuses an unknown one", () => {
    expect(problems({ HINDSIGHT_TRACKER_TOKEN: "t" })).toEqual([
      "HINDSIGHT_TRACKER is required with the other tracker settings (github, gitlab or jira)",
    ]);
    expect(problems({ HINDSIGHT_TRACKER: "trello" })).toEqual([
      "HINDSIGHT_TRACKER must be github, gitlab or jira",
    ]);
  });

  it("reads the sync interval as 90s, 5m, 1h, 5m when unset", () => {
    expect(loadConfig({}).HINDSIGHT_TRACKER_SYNC_EVERY).toBe(300_000);
    expect(loadConfig({ HINDSIGHT_TRACKER_SYNC_EVERY: "90s" }).HINDSIGHT_TRACKER_SYNC_EVERY).toBe(
      90_000,
    );
    expect(loadConfig({ HINDSIGHT_TRACKER_SYNC_EVERY: "1h" }).HINDSIGHT_TRACKER_SYNC_EVERY).toBe(
      3_600_000,
    );
    expect(problems({ HINDSIGHT_TRACKER_SYNC_EVERY: "5 minutes" })).toEqual([
      "HINDSIGHT_TRACKER_SYNC_EVERY must be a duration like 90s, 5m or 1h",
    ]);
    expect(problems({ HINDSIGHT_TRACKER_SYNC_EVERY: "1s" })).toEqual([
      "HINDSIGHT_TRACKER_SYNC_EVERY must be at least 10s",
    ]);
  });
});
