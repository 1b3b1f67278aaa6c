import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { exporterDeps, exportPending } from "../../../src/trackers/exporter.ts";
import { trackerFromConfig } from "../../../src/trackers/setup.ts";
import { startFakeGitHub } from "../../fakes/githubApi.ts";
import { declareIncident, type SlackHarness, startSlackHarness } from "./slackHarness.ts";

describe("Slack: /action export over the wire", () => {
  let h: SlackHarness | undefined;
  let gh: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
  afterEach(async () => {
    await h?.stop();
    await gh?.close();
    h = gh = undefined;
  });

  it("files the item after the ack, says so in the channel, and the pinned card shows the link", async () => {
    gh = await startFakeGitHub({ repo: "acme/ops", token: "ghp_test", now: Date.now });
    const env = {
      HINDSIGHT_TRACKER: "github",
      HINDSIGHT_TRACKER_URL: gh.origin,
      HINDSIGHT_TRACKER_PROJECT: "acme/ops",
      HINDSIGHT_TRACKER_TOKEN: "ghp_test",
    };
    const silent = pino({ level: "silent" });
    const tracker = (await trackerFromConfig(
      loadConfig({ HINDSIGHT_DB: ":memory:", ...env }),
      silent,
    ))!;
    h = await startSlackHarness({
      env,
      exportActions: (app) => {
        const deps = exporterDeps({
          repos: app.repos,
          tracker,
          clock: { now: Date.now },
          log: silent,
        });
        return (job) => exportPending(deps, job);
      },
    });
    const channel = await declareIncident(h, "Proxy down");
    await h.command("/action", "add Fix the failover --owner @alice", { channel_id: channel });
    await h.adapter.idle();

    const { ack } = await h.command("/action", "export 1", { channel_id: channel });
    expect(ack?.text).toContain("Exporting action 1 to GitHub");
    await h.adapter.idle();

    expect(gh.issues.map((i: { title: string }) => i.title)).toEqual(["Fix the failover"]);
    const said = h.fake.callsTo("chat.postMessage").map((c) => String(c.args.text));
    expect(
      said.some(
        (t: string) => t.includes("Exported 1 action item to GitHub") && t.includes("issues/1"),
      ),
    ).toBe(true);
    const card = h.fake.callsTo("chat.update").at(-1);
    expect(String(card?.args.text)).toContain("https://github.example/acme/ops/issues/1");
    expect(gh.unexpected).toEqual([]);
  });
});
