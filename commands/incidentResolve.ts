import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { changeStatus } from "../src/incidents/lifecycle.ts";
import { humanDuration } from "../src/incidents/summary.ts";
import { formatUtc } from "../src/incidents/when.ts";
import { atOption } from "./time.ts";

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
      description: "when it was resolved (default: now)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const at = atOption(input, ctx);
    return { at, note: input.text.trim() === "" ? "" : requireText(input.text, "note") };
  },
  run({ at, note }, ctx) {
    const incident = changeStatus(ctx.repos, ctx.incident, "resolved", {
      at,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      note,
      now: ctx.now,
    });
    const lasted = humanDuration(at - incident.startedAt);
    return reply.channel(
      `INC-${incident.id} resolved at ${formatUtc(at)} after ${lasted}. Write it up with /postmortem set, then /postmortem draft.`,
      {
        effects: [{ kind: "incident-changed", incident }],
      },
    );
  },
});
