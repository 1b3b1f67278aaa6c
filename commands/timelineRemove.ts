import { check, numberArg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import { formatUtc } from "../src/incidents/time/format.ts";

export const timelineRemove = defineCommand({
  group: "timeline",
  name: "remove",
  aliases: ["rm", "delete"],
  summary: "remove an entry (it stays in the audit log)",
  usage: "<n>",
  examples: ["/timeline remove 4"],
  incident: "required",
  parse(input, ctx) {
    const number = check(numberArg("entry number"), input.text.trim() || undefined, "entry number");
    const entry = ctx.incident ? ctx.incidents.timeline.get(ctx.incident, number) : undefined;
    if (!entry) throw new UserError(`there is no timeline entry #${number}; see /timeline list`);
    return { entry };
  },
  run({ entry }, ctx) {
    ctx.incidents.timeline.remove(entry, { actorId: ctx.actor.id, now: ctx.now });
    return reply.channel(`Removed #${entry.number} (${formatUtc(entry.at)} ${entry.text}).`);
  },
});
