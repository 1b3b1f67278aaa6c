import { z } from "zod";
import { check, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { changeStatus } from "../src/incidents/lifecycle.ts";
import { summaryCard } from "../src/incidents/summary.ts";
import { formatUtc } from "../src/incidents/when.ts";
import { STATUSES, type Status } from "../storage/records.ts";
import { atOption } from "./time.ts";

const statusArg = z.enum(STATUSES as [Status, ...Status[]], {
  error: `status must be one of ${STATUSES.join(", ")}`,
});

export const incidentStatus = defineCommand({
  group: "incident",
  name: "status",
  summary: "show the incident's summary, or move it to a new status",
  usage: "[investigating|identified|monitoring|resolved] [--at <when>] [note]",
  examples: [
    "/incident status",
    "/incident status identified expired certificate on the proxy",
    "/incident status monitoring --at 10:20",
  ],
  options: {
    at: {
      takesValue: true,
      placeholder: "<when>",
      description: "when the status changed (default: now)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    if (word === undefined) {
      if (input.options.at !== undefined) throw new UserError("--at needs a status to change to");
      return { status: undefined, at: ctx.now, note: "" };
    }
    const status = check(statusArg, word.toLowerCase(), "status");
    const at = atOption(input, ctx);
    return { status, at, note: rest.trim() === "" ? "" : requireText(rest, "note") };
  },
  run({ status, at, note }, ctx) {
    if (status === undefined) {
      const card = summaryCard(ctx.repos, ctx.incident, ctx.now);
      return reply.channel(card.text, { title: card.title });
    }
    const incident = changeStatus(ctx.repos, ctx.incident, status, {
      at,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      note,
      now: ctx.now,
    });
    return reply.channel(`INC-${incident.id} is now ${status} (${formatUtc(at)}).`, {
      effects: [{ kind: "incident-changed", incident }],
    });
  },
});
