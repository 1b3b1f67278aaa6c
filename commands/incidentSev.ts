import { check, severityArg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { changeTime, earlyWarning } from "./time.ts";

export const incidentSev = defineCommand({
  group: "incident",
  name: "sev",
  aliases: ["severity"],
  summary: "change the incident's severity (1 is the worst)",
  usage: "<1-4> [--at <when>]",
  examples: ["/incident sev 1", "/incident sev 2 --at 10:12"],
  options: {
    at: {
      takesValue: true,
      placeholder: "<when>",
      description: "when the severity changed (default: now; required in a write-up)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    if (rest.trim() !== "")
      throw new UserError(`unexpected "${rest.trim().slice(0, 40)}" after the severity`);
    const severity = check(severityArg, word, "severity");
    return { severity, ...changeTime(input, ctx) };
  },
  run({ severity, at, typed }, ctx) {
    const incident = ctx.incidents.changeSeverity(ctx.incident, severity, {
      at,
      typed,
      author: authorOf(ctx.actor),
      now: ctx.now,
    });
    return reply.channel(
      `INC-${incident.id} is now SEV${severity} (${formatUtc(at)}).${earlyWarning(at, incident)}`,
      { effects: [{ kind: "incident-changed", incident }] },
    );
  },
});
