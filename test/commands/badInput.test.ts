import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.ts";
import { usageOf } from "../../src/core/command.ts";
import { SECTION_TAGS } from "../../src/incidents/sections.ts";
import { testBot } from "../harness.ts";

const HUGE = "x".repeat(10_000);
const CONTROL = "deploy\u0000\u0007\u001b[31m started";

/** Inputs every command must refuse, whatever it is. */
const universal = [HUGE, CONTROL, `${HUGE} ${HUGE}`];

/** Inputs a specific command must refuse: missing, extra and malformed arguments. */
const specific: Record<string, string[]> = {
  "incident start": [
    "",
    "--sev 5 Downtime",
    "--sev Downtime",
    "Downtime --at yesterday-ish",
    "Downtime --at",
    "Downtime --sev 1 --sev 2",
    "two\nlines",
  ],
  "incident status": ["bogus", "--at 10:00", "resolved\u0001"],
  "incident sev": ["", "0", "5", "two", "2 extra words", "2 --at 26:00", "2 --at"],
  "incident role": [
    "",
    "pilot @bob",
    "commander",
    "commander bob",
    "commander @bob @carol",
    "commander @bob --at soon",
  ],
  "incident mark": [
    "",
    "bogus 10:00",
    "detected 25:00",
    "detected +15m",
    "detected 2999-01-01T00:00Z",
    "impact-end 09:00 before the impact started",
    "resolved 09:00 before it was declared",
  ],
  "incident update": ["", "   ", "x".repeat(4001)],
  "incident resolve": ["--at 26:00", "--at", "--at 2999-01-01T00:00Z"],
  "incident rename": ["", "   ", "two\nlines", "Downtime", "t".repeat(201)],
  "incident list": ["extra", "--all=yes"],
  "timeline add": ["", "10:05", "25:99 text", "2023-02-30 10:00 text", "+15m future"],
  "timeline list": ["extra"],
  "timeline edit": [
    "",
    "1",
    "99 text",
    "abc text",
    "1 25:00 text",
    "-1 text",
    "2 +5m",
    "2 2023-02-30 10:00",
    `2 10:06 ${HUGE}`,
    `2 ${CONTROL}`,
  ],
  "timeline remove": ["", "99", "abc", "1 2", "0"],
  "action add": ["", "--owner @bob", "fix --due 2023-13-01", "fix --owner bob", "fix --due"],
  "action edit": [
    "",
    "9 text",
    "x text",
    "1",
    `1 ${HUGE}`,
    `1 ${CONTROL}`,
    "1 --owner bob",
    "1 --owner",
    "1 --owner @a --owner @b",
    "1 --due 2023-13-01",
    "1 --due someday",
    "1 --due +3x",
    "1 --due",
  ],
  "action done": ["", "9", "one", "#"],
  "action undo": ["", "9", "1 2"],
  "action list": ["extra"],
  "action remove": ["", "9", "x"],
  // 1 is done; and no tracker is set up in this bot at all
  "action export": ["", "9", "x", "1 2", "all extra", "1", "all"],
  "postmortem set": ["", "impact", "nosuchsection text", "impact  "],
  "postmortem add": ["", "lucky", "luckyy-ish text"],
  "postmortem show": ["nosuchsection", "impact extra", "lucky 1", "went astray"],
  "postmortem remove": [
    "",
    "impact",
    "impact 2",
    "nosuchsection 1",
    "impact x",
    "impact 0",
    "impact -1",
    "impact 1 2",
    "lucky 99",
  ],
  "postmortem draft": ["extra words", "--template", "--template /no/such/file.liquid"],
};

/** Options typed nearly right: refused with "did you mean", never filed as text. */
const nearMisses: Record<string, string[]> = {
  "incident start": ["Downtime --severity 1", "Downtime -sev 1", "Downtime —sev 9"],
  "incident status": ["resolved --att 10:00"],
  "incident resolve": ["fixed --a 10:00"],
  "incident list": ["--alll"],
  "action add": ["fix --owners @bob", "fix --due-date 2023-03-01"],
  "postmortem draft": ["--templates x"],
};

describe("bad input to every command", () => {
  it("covers every command in the registry", () => {
    expect(Object.keys(specific).sort()).toEqual(
      COMMANDS.map((c) => `${c.group} ${c.name}`).sort(),
    );
  });

  for (const command of COMMANDS) {
    const key = `${command.group} ${command.name}`;
    const inputs = [...universal, ...(specific[key] ?? []), ...(nearMisses[key] ?? [])];
    it(`/${key}: always a one-line user error with the usage, never an exception, database unchanged`, () => {
      const { ok, say, snapshot } = testBot({ now: "2023-02-23T12:00:00Z" });
      ok('/incident start Downtime --at "2023-02-23 10:00"');
      ok("/timeline add 10:05 noticed");
      ok("/action add fix it");
      ok("/action done 1");
      ok("/postmortem add impact users saw 502s");
      const before = snapshot();
      for (const input of inputs) {
        const result = say(`/${key} ${input}`);
        expect(result.kind, `/${key} ${input.slice(0, 60)}`).toBe("user-error");
        if (result.kind !== "user-error") continue;
        const [message, usage, ...more] = result.reply.text.split("\n");
        expect(message!.length).toBeGreaterThan(0);
        expect(message!.length).toBeLessThanOrEqual(300);
        expect(usage).toBe(`Usage: ${usageOf(command)}`);
        expect(more).toEqual([]);
        expect(result.reply.visibility).toBe("caller");
        expect(snapshot()).toBe(before);
      }
    });
  }
});

/** Every tag a message can start with: each section's, and those for actions and entries. */
const TAGS = [...Object.keys(SECTION_TAGS), "action", "todo", "timeline"];

describe("bad input in tagged messages", () => {
  for (const tag of TAGS) {
    it(`${tag}: collected, one line to its author, nothing filed`, () => {
      const { ok, say, db } = testBot({ now: "2023-02-23T12:00:00Z" });
      ok('/incident start Downtime --at "2023-02-23 10:00"');
      // Everything but the collected messages themselves: those are kept whatever they say.
      const filed = () =>
        JSON.stringify(
          ["timeline_entries", "action_items", "section_items", "incidents", "audit_log"].map(
            (table) => db.prepare(`SELECT * FROM ${table}`).all(),
          ),
        );
      const before = filed();
      for (const input of universal) {
        const result = say(`${tag}: ${input}`);
        expect(result.kind, `${tag}: ${input.slice(0, 40)}`).toBe("collected");
        if (result.kind !== "collected") continue;
        expect(result.applied).toBeUndefined();
        expect(result.reply?.visibility).toBe("caller");
        const lines = result.reply!.text.split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]!.length).toBeLessThanOrEqual(300);
        expect(lines[0]).toMatch(/^not filed under .*: text (is too long|contains control)/);
        expect(filed()).toBe(before);
      }
    });
  }
});
