import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { durationsOf } from "../src/incidents/milestones.ts";
import { humanDuration } from "../src/incidents/summary.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { changeTime, earlyWarning } from "./time.ts";

export const incidentResolve = defineCommand({
  group: "incident",
  name: "resolve",
  aliases: ["close"],
  summary: "mark the incident resolved; it stays editable for the write-up",
  usage: "[--at <when>] [note]",
  examples: [
    "/incident resolve",
    '/incident resolve --at "2023-02-23 10:25 UTC" failover restored',
  ],
  options: {
    at: {
      takesValue: true,
      placeholder: "<when>",
      description: "when it was resolved (default: now; required in a write-up)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const note = input.text.trim() === "" ? "" : requireText(input.text, "note");
    return { ...changeTime(input, ctx), note };
  },
  run({ at, typed, note }, ctx) {
    const incident = ctx.incidents.changeStatus(ctx.incident, "resolved", {
      at,
      typed,
      author: authorOf(ctx.actor),
      note,
      now: ctx.now,
    });
    // Time to resolve, from impact-start; left out when the impact start is not before it.
    const resolve = durationsOf(ctx.incidents.milestones(incident)).resolve;
    const lasted = resolve === null ? "" : ` after ${humanDuration(resolve)}`;
    return reply.channel(
      `INC-${incident.id} resolved at ${formatUtc(at)}${lasted}. Write it up with /postmortem set, then /postmortem draft.${earlyWarning(at, incident)}`,
      {
        effects: [{ kind: "incident-changed", incident }],
      },
    );
  },
});
