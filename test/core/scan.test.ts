import { describe, expect, it } from "vitest";
import { nearMiss, scanOptions, tokenize } from "../../src/core/scan.ts";
import { UserError } from "../../src/errors.ts";

const specs = {
  sev: { takesValue: true, description: "severity" },
  at: { takesValue: true, description: "when" },
  all: { takesValue: false, description: "all" },
};

describe("scanOptions", () => {
  it.each([
    ["Downtime --sev 2", { sev: "2" }, "Downtime"],
    ["--sev 2 Downtime", { sev: "2" }, "Downtime"],
    [
      'Downtime --at "2023-02-23 10:00 UTC" --sev 1',
      { at: "2023-02-23 10:00 UTC", sev: "1" },
      "Downtime",
    ],
    ["Downtime --sev=3", { sev: "3" }, "Downtime"],
    ["Certificate --sev 2 errors on OBS", { sev: "2" }, "Certificate errors on OBS"],
    ["Downtime “in prod” --at “10:00 CET”", { at: "10:00 CET" }, "Downtime “in prod”"],
    ["list --all", { all: true }, "list"],
  ])("%s", (raw, options, text) => {
    const scanned = scanOptions(raw, specs);
    expect(scanned.options).toEqual(options);
    expect(scanned.text).toBe(text);
  });

  it("keeps quotes, Markdown, links, emoji and unknown --words exactly as typed", () => {
    const raw = 'Proxy "down" 🔥 see <https://x.org|runbook> --verbose `curl -v` **bold** --sev 2';
    const scanned = scanOptions(raw, specs);
    expect(scanned.text).toBe(
      'Proxy "down" 🔥 see <https://x.org|runbook> --verbose `curl -v` **bold**',
    );
    expect(scanned.options).toEqual({ sev: "2" });
  });

  it("stops reading options at --", () => {
    const scanned = scanOptions("deploy -- --sev 2 is in the text", specs);
    expect(scanned.options).toEqual({});
    expect(scanned.text).toBe("deploy --sev 2 is in the text");
  });

  it.each([
    "  step 3-4: proxy answered 502  ",
    "failover—took 3 min",
    'quoted "a-b" and x-y',
    "\n\tline one\nline-two ",
  ])("gives text with no dash after a space back trimmed: %j", (raw) => {
    expect(scanOptions(raw, specs)).toEqual({ options: {}, text: raw.trim() });
  });

  it.each([
    ["range 3-4 --sev 2", { sev: "2" }, "range 3-4"],
    ["a-b\n--sev 1", { sev: "1" }, "a-b"],
    ["x\t—sev 3", { sev: "3" }, "x"],
  ])("still reads an option that follows a dash in a word: %j", (raw, options, text) => {
    expect(scanOptions(raw, specs)).toEqual({ options, text });
  });

  it("keeps newlines inside free text", () => {
    expect(scanOptions("line one\nline two --sev 1", specs).text).toBe("line one\nline two");
  });

  it.each([
    ["Downtime --sev", "--sev needs a value"],
    ["Downtime --sev --at 10:00", "--sev needs a value"],
    ["Downtime --sev 1 --sev 2", "--sev is given twice"],
    ["Downtime --all=yes", "--all takes no value"],
  ])("rejects %s", (raw, message) => {
    expect(() => scanOptions(raw, specs)).toThrow(UserError);
    expect(() => scanOptions(raw, specs)).toThrow(message);
  });
});

describe("options as people type them", () => {
  it.each([
    ["Downtime —sev 2", { sev: "2" }, "Downtime"],
    ["Downtime –at 10:00 —sev 1", { at: "10:00", sev: "1" }, "Downtime"],
    ["Downtime —at=“10:00 CET”", { at: "10:00 CET" }, "Downtime"],
    ["Downtime --SEV 2", { sev: "2" }, "Downtime"],
    ['Downtime --at="2023-02-23 10:00 UTC"', { at: "2023-02-23 10:00 UTC" }, "Downtime"],
  ])("reads %s as the command's own options", (raw, options, text) => {
    const scanned = scanOptions(raw, specs);
    expect(scanned.options).toEqual(options);
    expect(scanned.text).toBe(text);
  });

  it.each([
    ["rollback — took 3 min", "rollback — took 3 min"],
    ["rollback —took 3 min", "rollback —took 3 min"],
    ["ran rsync --delete and -v", "ran rsync --delete and -v"],
    ["ls -la showed -rw-r--r-- files", "ls -la showed -rw-r--r-- files"],
    ["tail -n 50 and -f", "tail -n 50 and -f"],
    ["uses --verbose --dry-run --force", "uses --verbose --dry-run --force"],
    ["Proxy --as usual", "Proxy --as usual"],
  ])("keeps %s as text, dashes and unknown --words verbatim", (raw, text) => {
    const scanned = scanOptions(raw, specs);
    expect(scanned.options).toEqual({});
    expect(scanned.text).toBe(text);
  });

  it.each([
    ["Y --severity 1", "unknown option --severity: did you mean --sev?"],
    ["Y -sev 1", "unknown option -sev: did you mean --sev?"],
    ["Y --sve 1", "unknown option --sve: did you mean --sev?"],
    ["Y --sev2", "unknown option --sev2: did you mean --sev?"],
    ["Y —severity 1", "unknown option —severity: did you mean --sev?"],
    ["Y --severity=1", "unknown option --severity: did you mean --sev?"],
    ["Y --a 10:00", "unknown option --a: did you mean --at or --all?"],
    ["Y --alll", "unknown option --alll: did you mean --all?"],
  ])("refuses the near miss %s with did you mean", (raw, message) => {
    expect(() => scanOptions(raw, specs)).toThrow(UserError);
    expect(() => scanOptions(raw, specs)).toThrow(message);
  });

  it("tells how to keep a near miss as text, and -- does keep it", () => {
    expect(() => scanOptions("Y --severity 1", specs)).toThrow("put -- before it");
    const scanned = scanOptions("Y -- --severity 1", specs);
    expect(scanned).toEqual({ options: {}, text: "Y --severity 1" });
    expect(scanOptions('Y "--severity" 1', specs).text).toBe('Y "--severity" 1');
  });

  it("does not take a dashed option as the value of the one before", () => {
    expect(() => scanOptions("Downtime --sev —at 10:00", specs)).toThrow("--sev needs a value");
    expect(scanOptions("Downtime --at -15m", specs).options).toEqual({ at: "-15m" });
  });

  it.each([
    // word, option, single dash, near miss?
    ["severity", "sev", false, true],
    ["owners", "owner", false, true],
    ["ownr", "owner", false, true],
    ["tempalte", "template", false, true],
    ["temp", "template", false, true],
    ["s", "sev", false, true],
    ["sev", "sev", true, true],
    ["owner", "owner", true, true],
    ["at", "at", true, true],
    ["delete", "due", false, false],
    ["dry-run", "due", false, false],
    ["verbose", "sev", false, false],
    ["attempts", "at", false, false],
    ["as", "at", false, false],
    ["a", "at", true, false],
    ["la", "all", true, false],
    ["s", "sev", true, false],
    ["force", "owner", false, false],
  ])("nearMiss(%s, %s, single dash %s) is %s", (word, name, single, expected) => {
    expect(nearMiss(word, name, single)).toBe(expected);
  });
});

describe("--", () => {
  it("ends the options and is not kept when it stands first", () => {
    expect(scanOptions("-- --sev 2 in the title", specs)).toEqual({
      options: {},
      text: "--sev 2 in the title",
    });
    expect(scanOptions("-- 10:05 text", {})).toEqual({ options: {}, text: "10:05 text" });
  });

  it("is a dash in prose elsewhere, and options after it still count", () => {
    expect(scanOptions("failover -- took 3 min --sev 2", specs)).toEqual({
      options: { sev: "2" },
      text: "failover -- took 3 min",
    });
    expect(scanOptions("failover -- took 3 min", {}).text).toBe("failover -- took 3 min");
  });

  it("only the first -- is cut: a second one is text", () => {
    expect(scanOptions("-- a -- b", specs).text).toBe("a -- b");
  });
});

describe("tokenize", () => {
  it("treats an unclosed quote as an ordinary character", () => {
    expect(tokenize('say "hello world').map((t) => t.value)).toEqual(["say", '"hello', "world"]);
  });
  it("only closes a quote at a word boundary", () => {
    expect(tokenize('"a"b c').map((t) => t.value)).toEqual(['"a"b', "c"]);
  });
});
