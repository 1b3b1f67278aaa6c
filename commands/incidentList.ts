import { noArguments } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { incidentLine } from "../src/incidents/summary.ts";

export const incidentList = defineCommand({
  group: "incident",
  name: "list",
  summary: "open incidents, newest first (--all: every incident)",
  usage: "[--all]",
  examples: ["/incident list", "/incident list --all"],
  options: { all: { takesValue: false, description: "include resolved incidents" } },
  incident: "none",
  parse(input) {
    noArguments(input.text);
    return { all: input.options.all === true };
  },
  run({ all }, ctx) {
    const incidents = ctx.incidents.list({ all });
    if (incidents.length === 0)
      return reply.caller(all ? "No incidents yet." : "No open incidents.");
    const shown = incidents.slice(0, 50).map((i) => `• ${incidentLine(i)}`);
    if (incidents.length > 50) shown.push(`… and ${incidents.length - 50} more`);
    return reply.caller(shown.join("\n"), { title: all ? "All incidents" : "Open incidents" });
  },
});
