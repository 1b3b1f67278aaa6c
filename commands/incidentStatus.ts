import { z } from "zod";
import { check, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { STATUSES, type Status } from "../src/incidents/types.ts";
import { changeTime, earlyWarning } from "./time.ts";

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
      description: "when the status changed (default: now; required in a write-up)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    if (word === undefined) {
      if (input.options.at !== undefined) throw new UserError("--at needs a status to change to");
      return { status: undefined, at: ctx.now, typed: false, note: "" };
    }
    const status = check(statusArg, word.toLowerCase(), "status");
    const note = rest.trim() === "" ? "" : requireText(rest, "note");
    return { status, ...changeTime(input, ctx), note };
  },
  run({ status, at, typed, note }, ctx) {
    if (status === undefined) {
      const card = ctx.incidents.summaryCard(ctx.incident, ctx.now);
      return reply.channel(card.text, { title: card.title });
    }
    const incident = ctx.incidents.changeStatus(ctx.incident, status, {
      at,
      typed,
      author: authorOf(ctx.actor),
      note,
      now: ctx.now,
    });
    const milestone =
      status === "identified"
        ? " Milestone identified set."
        : status === "monitoring"
          ? " Milestone mitigated set."
          : "";
    const text = `INC-${incident.id} is now ${status} (${formatUtc(at)}).${milestone}${earlyWarning(at, incident)}`;
    return reply.channel(text, {
      effects: [{ kind: "incident-changed", incident }],
    });
  },
});
