import { z } from "zod";
import { check, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { splitLeadingWhen } from "../src/incidents/time/parse.ts";
import { MILESTONES, type Milestone } from "../src/incidents/types.ts";
import { earlyWarning, nowUnlessWriteUp, whenContext } from "./time.ts";

const milestoneArg = z.enum(MILESTONES as [Milestone, ...Milestone[]], {
  error: `milestone must be one of ${MILESTONES.join(", ")}`,
});

export const incidentMark = defineCommand({
  group: "incident",
  name: "mark",
  summary: "set or move a milestone (impact-start, detected, …); durations are measured from them",
  usage: `<${MILESTONES.join("|")}> [<when>] [note]`,
  examples: [
    "/incident mark impact-start 09:58 first 502s in the proxy logs",
    "/incident mark detected 10:05",
    '/incident mark impact-end "2023-02-23 10:25 UTC" certificates valid again',
  ],
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    const milestone = check(milestoneArg, word?.toLowerCase(), "milestone");
    // "now" is a time here (for /timeline add it stays text: "now rolling back").
    const now = /^\s*now(?:\s|$)/i.test(rest);
    const { at, rest: note } = now
      ? { at: ctx.now, rest: rest.trimStart().slice(3) }
      : splitLeadingWhen(rest, whenContext(ctx));
    return {
      milestone,
      at:
        at ??
        nowUnlessWriteUp(ctx, `a time after the milestone (/incident mark ${milestone} 10:05)`),
      typed: at !== undefined,
      note: note.trim() === "" ? "" : requireText(note, "note"),
    };
  },
  run({ milestone, at, typed, note }, ctx) {
    const { incident, moved } = ctx.incidents.mark(ctx.incident, milestone, {
      at,
      typed,
      author: authorOf(ctx.actor),
      now: ctx.now,
      ...(note ? { note } : {}),
    });
    return reply.channel(
      `INC-${incident.id}: ${milestone} ${moved ? "moved to" : "set at"} ${formatUtc(at)}.${earlyWarning(at, incident)}`,
      { effects: [{ kind: "incident-changed", incident }] },
    );
  },
});
