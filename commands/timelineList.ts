import { noArguments } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import type { TimelineEntry } from "../src/incidents/types.ts";

const SHOWN = 50;

export const timelineList = defineCommand({
  group: "timeline",
  name: "list",
  aliases: ["show"],
  summary: "the timeline in time order, with the numbers edit and remove take",
  usage: "",
  examples: ["/timeline list"],
  incident: "required",
  parse(input) {
    noArguments(input.text);
    return {};
  },
  run(_args, ctx) {
    // Stream and keep only the tail: a long incident's timeline never sits in memory whole.
    const tail: TimelineEntry[] = [];
    let total = 0;
    for (const entry of ctx.incidents.timeline.iterate(ctx.incident)) {
      total++;
      tail.push(entry);
      if (tail.length > SHOWN) tail.shift();
    }
    if (total === 0)
      return reply.caller(
        `INC-${ctx.incident.id} has no timeline entries yet. Add one with /timeline add.`,
      );
    const lines = tail.map((e) => `#${e.number}  ${formatUtc(e.at)}  ${e.text}`);
    if (total > SHOWN)
      lines.unshift(`(the last ${SHOWN} of ${total}; /postmortem draft has them all)`);
    return reply.caller(lines.join("\n"), {
      title: `Timeline of INC-${ctx.incident.id}: ${ctx.incident.title}`,
    });
  },
});
