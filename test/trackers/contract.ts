import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HandleResult } from "../../src/core/bot.ts";
import type { TrackerKind } from "../../src/incidents/types.ts";
import type { CallOptions } from "../../src/trackers/call.ts";
import { installId, issueContent } from "../../src/trackers/content.ts";
import { type ExporterDeps, exporterDeps, runExportEffects } from "../../src/trackers/exporter.ts";
import { syncClosed, syncSchedule } from "../../src/trackers/sync.ts";
import { issueMarker, type Tracker } from "../../src/trackers/tracker.ts";
import type { TrackerHttp } from "../fakes/trackerHttp.ts";
import { testBot } from "../harness.ts";

/** One tracker's fake and how to reach it, for the shared suite below. */
export interface FakeTracker {
  http: TrackerHttp;
  /** the tracker client pointed at the fake; `project`/`token` override the right ones */
  tracker(options: Partial<CallOptions> & { token?: string; project?: string }): Tracker;
  /** issues the fake holds, with the text of their body (Jira: the description and labels) */
  issues(): { title: string; text: string }[];
  /** someone closes (Jira: resolves) the issue with this API id */
  close(id: string): void;
  /** the next request is refused by the rate limit, "try again in `seconds`" */
  rateLimit(seconds: number): void;
  /** the next create is rejected as invalid (the API's own 4xx for a bad field) */
  rejectNext(): { status: number; reason: RegExp };
  badToken: { status: number; reason: RegExp };
  unknownProject: { status: number; reason: RegExp };
}

export interface TrackerCase {
  kind: TrackerKind;
  name: string;
  start(now: () => number): Promise<FakeTracker>;
}

const silent = pino({ level: "silent" });

export function trackerContract(c: TrackerCase): void {
  describe(`${c.name} through its client, against a loopback fake`, () => {
    let fake: FakeTracker;
    let world: ReturnType<typeof setup>;
    const setup = (tracker: Tracker) => {
      const bot = testBot({ settings: { tracker: { kind: c.kind, name: c.name } } });
      const deps: ExporterDeps = exporterDeps({
        repos: bot.repos,
        tracker,
        clock: bot.clock,
        log: silent,
      });
      const posted: string[] = [];
      /** `/action export …` and its follow-up, as an adapter runs them; returns the posted line */
      const follow = async (result: HandleResult): Promise<string> => {
        if (result.kind !== "ok")
          throw new Error(`export refused: ${"reply" in result ? result.reply?.text : ""}`);
        await runExportEffects(deps, result.reply.effects, (line) => {
          posted.push(line);
        });
        return posted.at(-1)!;
      };
      const exportNow = (args: string) => follow(bot.say(`/action export ${args}`));
      return {
        ...bot,
        deps,
        posted,
        follow,
        exportNow,
        item: (n: number) => bot.repos.actions.get(1, n)!,
      };
    };

    beforeEach(async () => {
      fake = await c.start(() => Date.parse("2023-02-23T12:00:00Z"));
      world = setup(fake.tracker({}));
      world.ok('/incident start Downtime of the login proxy --sev 2 --at "2023-02-23 10:00"');
      world.ok("/action add Check the Salt profile for dehydrated --owner @alice --due 2023-03-10");
    });
    afterEach(async () => {
      expect(fake.http.unexpected).toEqual([]);
      await fake.http.close();
    });

    it("files the item: title is its text, the body links back and names owner and due date", async () => {
      const result = world.say("/action export 1");
      expect(result.kind === "ok" && result.reply.text).toBe(`Exporting action 1 to ${c.name}…`);
      // The intent is committed before any request: a crash now leaves it pending, not lost.
      expect(world.item(1).exportState).toBe("pending");
      expect(fake.http.requests).toEqual([]);
      const line = await world.follow(result);
      expect(line).toMatch(new RegExp(`^Exported 1 action item to ${c.name}: 1 → https?://\\S+$`));
      const [issue] = fake.issues();
      expect(fake.issues()).toHaveLength(1);
      expect(issue!.title).toBe("Check the Salt profile for dehydrated");
      expect(issue!.text).toContain("INC-1");
      expect(issue!.text).toContain("Downtime of the login proxy");
      expect(issue!.text).toContain("@alice");
      expect(issue!.text).toContain("2023-03-10");
      expect(issue!.text).toContain("postmortem draft INC-1");
      const link = world.item(1).link!;
      expect(line).toContain(link.url);
      expect(world.item(1).exportState).toBe("exported");
    });

    it("shows the link in /action list, on the summary card and in the draft", async () => {
      await world.exportNow("1");
      const link = world.item(1).link!;
      expect(world.ok("/action list")).toContain(
        `1. Check the Salt profile for dehydrated (@alice, due 2023-03-10) → ${link.ref} ${link.url}`,
      );
      expect(world.ok("/incident status")).toContain(`→ ${link.ref} ${link.url}`);
      const drafted = world.say("/postmortem draft");
      const draft = drafted.kind === "ok" ? drafted.reply.file!.content : "";
      expect(draft).toContain(`(${link.url})`);
      expect(draft).toContain(
        `- [ ] Check the Salt profile for dehydrated (@alice, due 2023-03-10) [${link.ref}](${link.url})\n`,
      );
    });

    it("after a crash between the tracker's answer and our commit, finds the issue instead of filing again", async () => {
      world.ok("/action export 1");
      // The process filed the issue and died before recording the link: the item is still pending.
      const item = world.item(1);
      await fake.tracker({}).create({
        title: item.text,
        content: issueContent(world.repos, world.repos.incidents.get(1)!, item),
        marker: issueMarker(1, 1, installId(world.repos)),
      });
      expect(world.item(1).exportState).toBe("pending");
      expect(fake.issues()).toHaveLength(1);
      const line = await world.exportNow("1");
      expect(line).toContain("already filed before a restart");
      expect(fake.issues()).toHaveLength(1);
      expect(world.item(1).link?.url).toBeDefined();
    });

    it("/action export all skips items already exported and done ones", async () => {
      await world.exportNow("1");
      world.ok("/action add Run highstate after every downtime");
      world.ok("/action add Already handled");
      world.ok("/action done 3");
      const line = await world.exportNow("all");
      expect(line).toMatch(/^Exported 1 action item to \S+: 2 → /);
      expect(fake.issues().map((i) => i.title)).toEqual([
        "Check the Salt profile for dehydrated",
        "Run highstate after every downtime",
      ]);
      expect(world.say("/action export all").kind).toBe("ok");
      expect(world.ok("/action export 1")).toMatch(/^Action 1 is already exported: /);
    });

    it("an issue closed in the tracker marks the item done, on the injected clock's schedule", async () => {
      await world.exportNow("1");
      const schedule = syncSchedule({
        every: 5 * 60_000,
        clock: world.clock,
        log: silent,
        pass: () => syncClosed(world.deps),
      });
      expect(await schedule.tick()).toBe(true);
      expect(world.item(1).doneAt).toBeNull();
      fake.close(world.item(1).link!.id);
      const before = fake.http.requests.length;
      world.clock.set(Date.parse("2023-02-23T12:04:59Z"));
      expect(await schedule.tick()).toBe(false);
      expect(fake.http.requests.length).toBe(before);
      world.clock.set(Date.parse("2023-02-23T12:05:00Z"));
      expect(await schedule.tick()).toBe(true);
      expect(world.item(1).doneAt).toBe(Date.parse("2023-02-23T12:05:00Z"));
      expect(world.ok("/incident status")).toContain("No open action items");
      // Done items are not asked about again.
      world.clock.set(Date.parse("2023-02-23T12:10:00Z"));
      const after = fake.http.requests.length;
      await schedule.tick();
      expect(fake.http.requests.length).toBe(after);
    });

    for (const which of ["badToken", "unknownProject"] as const) {
      it(`${which === "badToken" ? "a wrong token" : "an unknown project"}: one line with the tracker's reason, nothing changed`, async () => {
        world = setup(
          fake.tracker(
            which === "badToken"
              ? { token: "wrong" }
              : { project: c.kind === "jira" ? "NOPE" : "nobody/nothing" },
          ),
        );
        world.ok('/incident start Downtime --at "2023-02-23 10:00"');
        world.ok("/action add fix it");
        const expected = fake[which];
        const line = await world.exportNow("1");
        expect(line).toMatch(new RegExp(`^${c.name} refused: ${expected.status} `));
        expect(line).toMatch(expected.reason);
        expect(line).toMatch(/nothing changed$/);
        expect(line.split("\n")).toHaveLength(1);
        expect(world.item(1).exportState).toBeNull();
        expect(fake.issues()).toEqual([]);
      });
    }

    it("a field the tracker rejects: its reason, and the item stays unexported", async () => {
      const expected = fake.rejectNext();
      const line = await world.exportNow("1");
      expect(line).toMatch(new RegExp(`^${c.name} refused: ${expected.status} `));
      expect(line).toMatch(expected.reason);
      expect(world.item(1).exportState).toBeNull();
    });

    it("a rate limit says when to try again and changes nothing; the next export goes through", async () => {
      fake.rateLimit(42);
      const line = await world.exportNow("1");
      expect(line).toBe(
        `${line.split(" ")[0]} rate limit reached (${/\((\d+)\)/.exec(line)?.[1]}): try again in 42 s; nothing changed`,
      );
      expect(line.startsWith(c.name)).toBe(true);
      expect(world.item(1).exportState).toBeNull();
      expect(fake.issues()).toEqual([]);
      expect(await world.exportNow("1")).toMatch(/^Exported 1 action item/);
    });

    it("a timeout after the tracker filed the issue: the item stays pending and the next export finds it", async () => {
      const controller = { current: new AbortController() };
      world = setup(fake.tracker({ signal: () => controller.current.signal }));
      world.ok('/incident start Downtime --at "2023-02-23 10:00"');
      world.ok("/action add fix the failover");
      fake.http.hold("after", "POST");
      const exporting = world.exportNow("1");
      await fake.http.received(2); // the lookup, then the create the fake acts on and never answers
      controller.current.abort();
      const line = await exporting;
      expect(line).toBe(
        `${c.name} did not answer within 15 s; action 1 stays pending: /action export 1 looks for its issue before filing again`,
      );
      expect(world.item(1).exportState).toBe("pending");
      expect(world.ok("/action list")).toContain("(export pending)");
      fake.http.release();
      controller.current = new AbortController();
      expect(await world.exportNow("1")).toContain("already filed before a restart");
      expect(fake.issues()).toHaveLength(1);
    });

    it("a tracker that cannot be reached: one line, the item stays unexported", async () => {
      await fake.http.close();
      const line = await world.exportNow("1");
      expect(line).toBe(`${c.name} cannot be reached: ECONNREFUSED`);
      expect(world.item(1).exportState).toBeNull();
      fake = await c.start(() => Date.now()); // for afterEach
    });

    it("the marker names the incident, the item and this installation", async () => {
      await world.exportNow("1");
      const marker = issueMarker(1, 1, world.repos.kv.get("tracker.install-id")!);
      expect(marker).toMatch(/^hindsight:INC-1:action-1:[0-9a-f]{12}$/);
      expect(fake.issues()[0]!.text).toContain(
        c.kind === "jira" ? marker.replaceAll(":", "-") : `<!-- ${marker} -->`,
      );
    });
  });
}
