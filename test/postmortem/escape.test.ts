import { describe, expect, it } from "vitest";
import {
  escapeBlock,
  escapeInline,
  escapeOneLine,
  yamlQuote,
  yamlScalar,
} from "../../src/postmortem/escape.ts";

describe("escapeBlock", () => {
  it.each([
    ["# heading", "\\# heading"],
    ["###### h6", "\\###### h6"],
    ["#hashtag", "\\#hashtag"],
    ["> quote", "\\> quote"],
    ["---", "\\---"],
    ["--- not a break", "\\--- not a break"],
    ["--", "\\--"],
    ["***", "\\***"],
    ["_ _ _", "\\_ _ _"],
    ["===", "\\==="],
    ["```js", "\\```js"],
    ["~~~", "\\~~~"],
    ["- item", "\\- item"],
    ["-", "\\-"],
    ["* item", "\\* item"],
    ["+ item", "\\+ item"],
    ["1. item", "1\\. item"],
    ["12) item", "12\\) item"],
    ["2023. What a year", "2023\\. What a year"],
    ["[x]: https://example.com", "\\[x]: https://example.com"],
    ["<div>", "&lt;div>"],
    ["a <b> c", "a &lt;b> c"],
    ["{{ site.title }}", "&#123;&#123; site.title }}"],
    ["{% include x %}", "&#123;% include x %}"],
    ["{::comment}", "&#123;::comment}"],
  ])("escapes %j", (input, expected) => {
    expect(escapeBlock(input)).toBe(expected);
  });

  it.each([
    "-5 degrees and --verbose",
    "+1 from me",
    "2023 was a year, v2.0 shipped",
    "***bold italic*** stays emphasis",
    "__init__.py crashed",
    "a - b * c + d = e > f",
    "release 1.2.3 went out at 10:05",
    "see [the runbook](https://example.com/a_b-c)",
    "{ json: true } and } and {",
    "50% of requests_failed #ops",
  ])("keeps harmless text as typed: %j", (input) => {
    expect(escapeBlock(input)).toBe(input);
  });

  it("escapes every line, keeping blank lines and line structure", () => {
    expect(escapeBlock("first\n# second\n\n- third")).toBe("first\n\\# second\n\n\\- third");
  });

  it("escapes after up to three spaces, but not in an indented code line", () => {
    expect(escapeBlock("a\n   # three")).toBe("a\n   \\# three");
    expect(escapeBlock("a\n    # four")).toBe("a\n    # four");
    expect(escapeBlock("a\n\t# tab")).toBe("a\n\t# tab");
  });

  it("normalises CRLF and lone CR, and removes control characters", () => {
    expect(escapeBlock("a\r\n# b\r# c")).toBe("a\n\\# b\n\\# c");
    expect(escapeBlock("a\u0000b\u0007c\u001b[0md\u007f\u0085e\tf")).toBe("abc[0mde\tf");
  });

  it("drops leading blank lines and trailing whitespace", () => {
    expect(escapeBlock("\n\n  text  \n\n")).toBe("text");
  });
});

describe("escapeInline", () => {
  it("keeps one line as typed, trimmed", () => {
    expect(escapeInline("  found the issue  ")).toBe("found the issue");
  });

  it("indents continuation lines by two spaces and drops blank lines", () => {
    expect(escapeInline("one\n\n- two\r\n  # three\n")).toBe("one\n  \\- two\n    \\# three");
  });

  it("escapes the first line too: `- # x` would be a heading inside the list item", () => {
    expect(escapeInline("# x")).toBe("\\# x");
    expect(escapeInline("1. x")).toBe("1\\. x");
  });

  it("measures tabs from the item's content column", () => {
    // "  \t```" puts the fence two columns into the item: it would open a code block.
    expect(escapeInline("a\n\t```")).toBe("a\n  \t\\```");
    expect(escapeInline("a\n      ```")).toBe("a\n        ```");
  });

  it("escapeOneLine joins lines with spaces", () => {
    expect(escapeOneLine("Down\r\n# time\nnow")).toBe("Down # time now");
  });
});

describe("yamlQuote", () => {
  it("double-quotes and escapes backslashes and quotes", () => {
    expect(yamlQuote('Post-mortem: "Down" \\ time')).toBe('"Post-mortem: \\"Down\\" \\\\ time"');
  });

  it("turns line breaks and control characters into spaces", () => {
    expect(yamlQuote("a\nb\r\nc\td\u0000e\u2028f")).toBe('"a b c d e f"');
  });

  it("writes HTML and Liquid openers as YAML escapes, so the parsed value is unchanged", () => {
    expect(yamlQuote("<script> {{ x }} {% y %} {: z}")).toBe(
      '"\\u003Cscript> \\u007B{ x }} \\u007B% y %} \\u007B: z}"',
    );
  });
});

describe("yamlScalar", () => {
  it("leaves simple words bare and quotes anything else", () => {
    expect(yamlScalar("incidents")).toBe("incidents");
    expect(yamlScalar("ops/incidents")).toBe("ops/incidents");
    expect(yamlScalar("a: b")).toBe('"a: b"');
    expect(yamlScalar("#x")).toBe('"#x"');
    expect(yamlScalar("")).toBe('""');
  });
});
