import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HandleResult } from "../../src/core/bot.ts";
import { createMetrics } from "../../src/metrics.ts";
import { stoppable } from "../../src/trackers/call.ts";
import { type ExporterDeps, exporterDeps, runExportEffects } from "../../src/trackers/exporter.ts";
import { githubTracker } from "../../src/trackers/github.ts";
import { RESUME_AFTER_MS, resumePending, syncClosed } from "../../src/trackers/sync.ts";
import { startFakeGitHub } from "../fakes/githubApi.ts";
import { testBot } from "../harness.ts";

const silent = pino({ level: "silent" });
const NOW = Date.parse("2023-02-23T12:00:00Z");

describe("the exporter around the tracker", () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  let bot: ReturnType<typeof testBot>;
  let deps: ExporterDeps;
  let metrics: ReturnType<typeof createMetrics>;
  const follow = async (result: HandleResult): Promise<string[]> => {
    const lines: string[] = [];
    if (result.kind === "ok")
      await runExportEffects(deps, result.reply.effects, (line) => {
        lines.push(line);
      });
    return lines;
  };

  beforeEach(async () => {
    gh = await startFakeGitHub({ repo: "acme/ops", token: "ghp_test", now: () => NOW });
    bot = testBot({ settings: { tracker: { kind: "github", name: "GitHub" } } });
    metrics = createMetrics();
    const tracker = githubTracker(
      { url: gh.origin, project: "acme/ops", token: "ghp_test" },
      { timeoutMs: 15_000, now: () => NOW },
      silent,
    );
    deps = exporterDeps({
      repos: bot.repos,
      tracker,
      clock: bot.clock,
      log: silent,
      observer: metrics.exports,
    });
    bot.ok('/incident start Downtime --at "2023-02-23 10:00"');
    bot.ok("/action add Fix the failover");
    bot.ok("/action add Run highstate");
  });
  afterEach(async () => {
    expect(gh.unexpected).toEqual([]);
    await gh.close();
  });

  it("exports several items in one line and counts them in /metrics", async () => {
    expect(await follow(bot.say("/action export all"))).toEqual([
      "Exported 2 action items to GitHub: 1 → https://github.example/acme/ops/issues/1, 2 → https://github.example/acme/ops/issues/2",
    ]);
    bot.ok("/action add Third");
    gh.fail({ status: 401, body: { message: "Bad credentials" }, times: 1 });
    await follow(bot.say("/action export 3"));
    const text = await metrics.registry.metrics();
    expect(text).toContain('hindsight_action_exports_total{tracker="github",outcome="done"} 2');
    expect(text).toContain('hindsight_action_exports_total{tracker="github",outcome="failed"} 1');
  });

  it("links the issue to the incident's rooms where the platform has links", async () => {
    bot.repos.incidents.bindRoom(1, "matrix", "!abc:example.org");
    bot.repos.incidents.bindRoom(1, "slack", "C0123");
    await follow(bot.say("/action export 1"));
    const body = gh.issues[0]!.body!;
    expect(body).toContain(
      "- Room: [Matrix !abc:example.org](https://matrix.to/#/!abc:example.org)",
    );
    expect(body).toContain(
      "- Room: [Slack channel C0123](https://slack.com/app_redirect?channel=C0123)",
    );
    expect(body).toContain("- Owner: not set");
    expect(body).toMatch(/<!-- hindsight:INC-1:action-1:[0-9a-f]{12} -->$/);
  });

  it("a refusal halfway: what was filed is kept and said, the rest goes back to unexported", async () => {
    bot.ok("/action add Third");
    gh.fail({
      status: 422,
      body: { message: "Validation Failed" },
      method: "POST",
      skip: 1,
      times: 1,
    });
    expect(await follow(bot.say("/action export all"))).toEqual([
      "Exported 1 action item to GitHub: 1 → https://github.example/acme/ops/issues/1. Then GitHub refused: 422 Validation Failed; 2, 3 not exported",
    ]);
    expect(bot.repos.actions.list(1).map((a) => a.exportState)).toEqual(["exported", null, null]);
    expect(gh.issues.map((i) => i.title)).toEqual(["Fix the failover"]);
  });

  it("a refusal at the first item: nothing changed, and the untried ones are named", async () => {
    gh.fail({ status: 422, body: { message: "Validation Failed" }, method: "POST", times: 1 });
    expect(await follow(bot.say("/action export all"))).toEqual([
      "GitHub refused: 422 Validation Failed; nothing changed; 2 not exported",
    ]);
    expect(bot.repos.actions.list(1).map((a) => a.exportState)).toEqual([null, null]);
  });

  it("a server error halfway: the failed item stays pending, the untried one is unexported", async () => {
    gh.fail({ status: 502, body: "<html>Bad Gateway</html>", method: "POST", times: 1 });
    expect(await follow(bot.say("/action export all"))).toEqual([
      "GitHub failed: 502 Bad Gateway; action 1 stays pending: /action export 1 looks for its issue before filing again; 2 not exported",
    ]);
    expect(bot.repos.actions.list(1).map((a) => a.exportState)).toEqual(["pending", null]);
  });

  it("a second /action export of an item already on its way files nothing more", async () => {
    gh.hold("before", "POST");
    const first = follow(bot.say("/action export 1"));
    await gh.received(2);
    expect(await follow(bot.say("/action export 1"))).toEqual([
      "Already being exported to GitHub: 1",
    ]);
    gh.release();
    await first;
    expect(gh.count("POST", /issues$/)).toBe(1);
  });

  it("an item reopened in chat is not ticked off again by its still closed issue", async () => {
    await follow(bot.say("/action export 1"));
    gh.closeIssue(1);
    expect(await syncClosed(deps)).toEqual([{ incidentId: 1, number: 1, ref: "#1" }]);
    bot.ok("/action undo 1");
    expect(await syncClosed(deps)).toEqual([]);
    expect(bot.repos.actions.get(1, 1)!.doneAt).toBeNull();
    // reopened and closed again on GitHub: that close counts
    gh.issues[0]!.state = "open";
    await syncClosed(deps);
    gh.closeIssue(1);
    expect(await syncClosed(deps)).toHaveLength(1);
    expect(bot.repos.actions.get(1, 1)!.doneAt).not.toBeNull();
  });

  it("a sync pass stops at the first tracker error and changes nothing", async () => {
    await follow(bot.say("/action export all"));
    gh.closeIssue(1);
    gh.closeIssue(2);
    gh.rateLimit(60);
    expect(await syncClosed(deps)).toEqual([]);
    expect(gh.count("GET", /issues\/\d+$/)).toBe(1);
    expect(bot.repos.actions.list(1).map((a) => a.doneAt)).toEqual([null, null]);
  });

  it("an export interrupted by a restart is finished by the timer, looking before filing", async () => {
    bot.ok("/action export 1"); // marked pending; the follow-up never ran (the process died)
    bot.clock.set(NOW + RESUME_AFTER_MS - 1);
    expect(await resumePending(deps)).toEqual([]);
    bot.clock.set(NOW + RESUME_AFTER_MS);
    expect(await resumePending(deps)).toEqual([
      {
        incidentId: 1,
        line: "Exported 1 action item to GitHub: 1 → https://github.example/acme/ops/issues/1",
      },
    ]);
    expect(gh.count("GET", /issues$/)).toBe(1);
    expect(bot.repos.actions.get(1, 1)!.exportState).toBe("exported");
  });

  it("a shutdown cuts a slow export short: the item stays pending for after the restart", async () => {
    const calls = stoppable();
    deps = exporterDeps({
      repos: bot.repos,
      tracker: githubTracker(
        { url: gh.origin, project: "acme/ops", token: "ghp_test" },
        { timeoutMs: 15_000, now: () => NOW, signal: calls.signal },
        silent,
      ),
      clock: bot.clock,
      log: silent,
    });
    gh.hold("before", "POST");
    const exporting = follow(bot.say("/action export 1"));
    await gh.received(2);
    calls.stop();
    expect(await exporting).toEqual([
      "GitHub export stopped: the bot is shutting down; action 1 stays pending: /action export 1 looks for its issue before filing again",
    ]);
    expect(bot.repos.actions.get(1, 1)!.exportState).toBe("pending");
  });

  it("answers mistakes with one line: no tracker, a done item, a near miss of all", () => {
    const plain = testBot();
    plain.ok('/incident start Downtime --at "2023-02-23 10:00"');
    plain.ok("/action add x");
    expect(plain.fails("/action export 1")).toMatch(
      /^no issue tracker is set up: .*HINDSIGHT_TRACKER/,
    );
    bot.ok("/action done 2");
    expect(bot.fails("/action export 2")).toMatch(
      /^action 2 is done; only open items are exported\nUsage: /,
    );
    expect(bot.fails("/action export al")).toMatch(
      /^did you mean all\?\nUsage: \/action export <n\|all>$/,
    );
    expect(bot.fails("/action export everything")).toMatch(/^did you mean all\?/);
  });
});
