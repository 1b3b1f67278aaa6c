import { parseUser, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { parseDue } from "./actionDue.ts";
import { actionLine } from "./actionItem.ts";

export const actionAdd = defineCommand({
  group: "action",
  name: "add",
  summary: "track a follow-up",
  usage: "<text> [--owner @user] [--due <date>]",
  examples: [
    "/action add Check and fix the Salt profile for dehydrated --owner @alice --due 2023-03-10",
    "/action add Add an alert on certificate expiry --owner me --due +2w",
  ],
  options: {
    owner: { takesValue: true, placeholder: "<@user>", description: "who will do it" },
    due: {
      takesValue: true,
      placeholder: "<YYYY-MM-DD|tomorrow|+3d|+2w>",
      description: "when it should be done (today, tomorrow, +3d, +2w count from your today)",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const owner =
      typeof input.options.owner === "string"
        ? parseUser(input.options.owner, ctx.actor).name
        : null;
    const due = typeof input.options.due === "string" ? parseDue(input.options.due, ctx) : null;
    return { text: requireText(input.text, "text"), owner, due };
  },
  run({ text, owner, due }, ctx) {
    const item = ctx.incidents.actions.add(
      ctx.incident,
      { text, owner, due },
      { actorId: ctx.actor.id, now: ctx.now },
    );
    return reply.channel(`Action ${item.number} added: ${actionLine(item)}`, {
      effects: [{ kind: "incident-changed", incident: ctx.incident }],
    });
  },
});
