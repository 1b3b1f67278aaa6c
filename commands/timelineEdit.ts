import { check, numberArg, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { splitLeadingWhen } from "../src/incidents/time/parse.ts";

export const timelineEdit = defineCommand({
  group: "timeline",
  name: "edit",
  summary:
    "change an entry's time, text or both; a time alone moves it (the old version stays in the audit log)",
  usage: "<n> [<when>] [<text>]",
  examples: [
    "/timeline edit 3 10:06",
    "/timeline edit 3 checking the failover machine",
    "/timeline edit 3 10:06 checking the failover machine",
  ],
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    const number = check(numberArg("entry number"), word, "entry number");
    const entry = ctx.incident ? ctx.incidents.timeline.get(ctx.incident, number) : undefined;
    if (!entry) throw new UserError(`there is no timeline entry #${number}; see /timeline list`);
    // A bare time is read near the entry's own time: editing 23:50 to 00:05 means the next day.
    const split = splitLeadingWhen(rest, { now: ctx.now, zone: ctx.zone, anchor: entry.at });
    const text = split.rest.trim() === "" ? undefined : requireText(split.rest, "text");
    if (split.at === undefined && text === undefined)
      throw new UserError(`nothing to change in #${number}: give a new time, new text or both`);
    return { entry, at: split.at ?? entry.at, text: text ?? entry.text };
  },
  run({ entry, at, text }, ctx) {
    if (at === entry.at && text === entry.text)
      return reply.caller(`#${entry.number} already reads so: ${formatUtc(at)} ${text}`);
    ctx.incidents.timeline.edit(entry, { at, text }, { actorId: ctx.actor.id, now: ctx.now });
    // The card shows the start and end, which move with the declared and resolved entries.
    const incident = ctx.incidents.get(ctx.incident.id)!;
    const effects = at === entry.at ? [] : [{ kind: "incident-changed" as const, incident }];
    const answer =
      text === entry.text
        ? `Moved #${entry.number} from ${formatUtc(entry.at)} to ${formatUtc(at)}: ${text}`
        : `Edited #${entry.number}: ${formatUtc(at)} ${text}`;
    return reply.channel(answer, { effects });
  },
});
