import { z } from "zod";
import { check, parseUser } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { ROLES, type Role } from "../src/incidents/types.ts";
import { changeTime, earlyWarning } from "./time.ts";

const roleArg = z.enum(ROLES as [Role, ...Role[]], {
  error: `role must be one of ${ROLES.join(", ")}`,
});

export const incidentRole = defineCommand({
  group: "incident",
  name: "role",
  summary: "assign the commander, comms or scribe role",
  usage: "<commander|comms|scribe> <@user|me> [--at <when>]",
  examples: [
    "/incident role commander @alice",
    "/incident role scribe me",
    '/incident role commander @adrian --at "2023-02-23 10:06 UTC"',
  ],
  options: {
    at: {
      takesValue: true,
      placeholder: "<when>",
      description: "when the role was taken (default: now; required in a write-up)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const first = takeWord(input.text);
    const role = check(roleArg, first.word?.toLowerCase(), "role");
    const second = takeWord(first.rest);
    if (second.rest.trim() !== "") throw new UserError("one user per role: mention exactly one");
    const user = parseUser(second.word, ctx.actor);
    return { role, user, ...changeTime(input, ctx) };
  },
  run({ role, user, at, typed }, ctx) {
    const incident = ctx.incidents.assignRole(ctx.incident, role, user, {
      at,
      typed,
      author: authorOf(ctx.actor),
      now: ctx.now,
    });
    return reply.channel(
      `${user.name} is now ${role} of INC-${incident.id} (${formatUtc(at)}).${earlyWarning(at, incident)}`,
      { effects: [{ kind: "incident-changed", incident }] },
    );
  },
});
