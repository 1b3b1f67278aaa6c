import { z } from "zod";
import { check, parseUser } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { assignRole } from "../src/incidents/lifecycle.ts";
import { ROLES, type Role } from "../storage/records.ts";

const roleArg = z.enum(ROLES as [Role, ...Role[]], {
  error: `role must be one of ${ROLES.join(", ")}`,
});

export const incidentRole = defineCommand({
  group: "incident",
  name: "role",
  summary: "assign the commander, comms or scribe role",
  usage: "<commander|comms|scribe> <@user|me>",
  examples: ["/incident role commander @alice", "/incident role scribe me"],
  incident: "required",
  parse(input, ctx) {
    const first = takeWord(input.text);
    const role = check(roleArg, first.word?.toLowerCase(), "role");
    const second = takeWord(first.rest);
    if (second.rest.trim() !== "") throw new UserError("one user per role: mention exactly one");
    return { role, user: parseUser(second.word, ctx.actor) };
  },
  run({ role, user }, ctx) {
    const incident = assignRole(ctx.repos, ctx.incident, role, user, {
      at: ctx.now,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
    });
    return reply.channel(`${user.name} is now ${role} of INC-${incident.id}.`, {
      effects: [{ kind: "incident-changed", incident }],
    });
  },
});
