import { check, MAX_TITLE, requireText, severityArg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { parseWhen } from "../src/incidents/time/parse.ts";

export const incidentStart = defineCommand({
  group: "incident",
  name: "start",
  aliases: ["declare", "new"],
  summary: "declare an incident, open its room and start its timeline",
  usage: "<title> [--sev 1-4] [--at <when>]",
  examples: [
    "/incident start Downtime --sev 2",
    '/incident start Certificate errors on OBS --at "2023-02-23 10:00 UTC"',
  ],
  options: {
    sev: { takesValue: true, placeholder: "<1-4>", description: "severity, 1 is the worst" },
    at: {
      takesValue: true,
      placeholder: "<when>",
      description: "back-date the start (the incident began before it was declared)",
    },
  },
  incident: "none",
  parse(input, ctx) {
    const title = requireText(input.text, "title", MAX_TITLE);
    if (title.includes("\n")) throw new UserError("title must be one line");
    const severity =
      input.options.sev === undefined ? null : check(severityArg, input.options.sev, "--sev");
    const at =
      typeof input.options.at === "string"
        ? parseWhen(input.options.at, { now: ctx.now, zone: ctx.zone })
        : ctx.now;
    return { title, severity, at };
  },
  run({ title, severity, at }, ctx) {
    const { incidents, invocation, settings } = ctx;
    const here = incidents.forRoom(invocation.platform, invocation.room);
    if (!settings.createRooms && here) {
      throw new UserError(
        `this room already belongs to INC-${here.id}; start new incidents in another room`,
      );
    }
    const incident = incidents.declare({
      title,
      severity,
      startedAt: at,
      declaredAt: ctx.now,
      platform: invocation.platform,
      author: authorOf(ctx.actor),
    });
    if (!settings.createRooms)
      incidents.bindRoom(incident.id, invocation.platform, invocation.room);
    const sev = severity === null ? "" : ` (SEV${severity})`;
    // The start is echoed either way (every recorded time is); a back-dated one in the sentence.
    const started = at === ctx.now ? `. Started ${formatUtc(at)}` : `, started ${formatUtc(at)}`;
    return reply.channel(
      `Declared INC-${incident.id}: ${title}${sev}${started}. Log what happens with /timeline add.`,
      {
        effects: [{ kind: "incident-declared", incident, createRoom: settings.createRooms }],
      },
    );
  },
});
