import { describe, expect, it } from "vitest";
import { scanOptions, tokenize } from "../../src/core/scan.ts";
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

describe("tokenize", () => {
  it("treats an unclosed quote as an ordinary character", () => {
    expect(tokenize('say "hello world').map((t) => t.value)).toEqual(["say", '"hello', "world"]);
  });
  it("only closes a quote at a word boundary", () => {
    expect(tokenize('"a"b c').map((t) => t.value)).toEqual(['"a"b', "c"]);
  });
});
