import { check, severityArg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { changeSeverity } from "../src/incidents/lifecycle.ts";

export const incidentSev = defineCommand({
  group: "incident",
  name: "sev",
  aliases: ["severity"],
  summary: "change the incident's severity (1 is the worst)",
  usage: "<1-4>",
  examples: ["/incident sev 1"],
  incident: "required",
  parse(input) {
    const { word, rest } = takeWord(input.text);
    if (rest.trim() !== "")
      throw new UserError(`unexpected "${rest.trim().slice(0, 40)}" after the severity`);
    return { severity: check(severityArg, word, "severity") };
  },
  run({ severity }, ctx) {
    const incident = changeSeverity(ctx.repos, ctx.incident, severity, {
      at: ctx.now,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
    });
    return reply.channel(`INC-${incident.id} is now SEV${severity}.`, {
      effects: [{ kind: "incident-changed", incident }],
    });
  },
});
