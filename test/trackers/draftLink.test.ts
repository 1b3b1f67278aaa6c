import { describe, expect, it } from "vitest";
import type { TrackerLink } from "../../src/incidents/types.ts";
import { testBot } from "../harness.ts";

/** The draft's action lines once items carry a tracker link. */
function actionLines(links: TrackerLink[]): string[] {
  const bot = testBot();
  bot.ok('/incident start Downtime --at "2023-02-23 10:00"');
  links.forEach((link, i) => {
    bot.ok(`/action add Item ${i + 1} --owner @alice`);
    bot.repos.actions.recordExport(bot.repos.actions.get(1, i + 1)!.id, link);
  });
  bot.ok("/action done 1");
  const drafted = bot.say("/postmortem draft");
  const content = drafted.kind === "ok" ? drafted.reply.file!.content : "";
  return content.split("\n").filter((l) => l.startsWith("- ["));
}

describe("tracker links in the draft", () => {
  it("follow the item as [ref](url), done or open, GitHub or Jira", () => {
    expect(
      actionLines([
        { tracker: "github", id: "12", ref: "#12", url: "https://github.com/acme/ops/issues/12" },
        {
          tracker: "jira",
          id: "OPS-7",
          ref: "OPS-7",
          url: "https://acme.atlassian.net/browse/OPS-7",
        },
      ]),
    ).toEqual([
      "- [x] Item 1 (@alice) [#12](https://github.com/acme/ops/issues/12)",
      "- [ ] Item 2 (@alice) [OPS-7](https://acme.atlassian.net/browse/OPS-7)",
    ]);
  });

  it("cannot break the line: a URL's parentheses and spaces are encoded, a non-web URL is not linked", () => {
    expect(
      actionLines([
        { tracker: "gitlab", id: "1", ref: "#1", url: "https://gitlab.example/a (b)/-/issues/1" },
        { tracker: "gitlab", id: "2", ref: "#2", url: "javascript:alert(1)" },
      ]),
    ).toEqual([
      "- [x] Item 1 (@alice) [#1](https://gitlab.example/a%20%28b%29/-/issues/1)",
      "- [ ] Item 2 (@alice) #2",
    ]);
  });
});
