import { check, numberArg, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { editTimelineEntry } from "../src/incidents/timeline.ts";
import { formatUtc, splitLeadingWhen } from "../src/incidents/when.ts";

export const timelineEdit = defineCommand({
  group: "timeline",
  name: "edit",
  summary: "change an entry's time and text (the old version stays in the audit log)",
  usage: "<n> [<when>] <text>",
  examples: [
    "/timeline edit 3 10:06 checking the failover machine",
    "/timeline edit 3 checking the failover machine",
  ],
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    const number = check(numberArg("entry number"), word, "entry number");
    const entry = ctx.incident ? ctx.repos.timeline.get(ctx.incident.id, number) : undefined;
    if (!entry) throw new UserError(`there is no timeline entry #${number}; see /timeline list`);
    // A bare time is read near the entry's own time: editing 23:50 to 00:05 means the next day.
    const split = splitLeadingWhen(rest, { now: ctx.now, zone: ctx.zone, anchor: entry.at });
    return { entry, at: split.at ?? entry.at, text: requireText(split.rest, "text") };
  },
  run({ entry, at, text }, ctx) {
    editTimelineEntry(ctx.repos, entry, { at, text }, ctx.actor.id, ctx.now);
    return reply.channel(`Edited #${entry.number}: ${formatUtc(at)} ${text}`);
  },
});
