import { check, dateArg, parseUser, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";

export const actionAdd = defineCommand({
  group: "action",
  name: "add",
  summary: "track a follow-up",
  usage: "<text> [--owner @user] [--due YYYY-MM-DD]",
  examples: [
    "/action add Check and fix the Salt profile for dehydrated --owner @alice --due 2023-03-10",
  ],
  options: {
    owner: { takesValue: true, placeholder: "<@user>", description: "who will do it" },
    due: { takesValue: true, placeholder: "<YYYY-MM-DD>", description: "when it should be done" },
  },
  incident: "required",
  parse(input, ctx) {
    const owner =
      typeof input.options.owner === "string"
        ? parseUser(input.options.owner, ctx.actor).name
        : null;
    const due = input.options.due === undefined ? null : check(dateArg, input.options.due, "--due");
    return { text: requireText(input.text, "text"), owner, due };
  },
  run({ text, owner, due }, ctx) {
    const item = ctx.repos.actions.add({
      incidentId: ctx.incident.id,
      number: ctx.repos.incidents.takeActionNumber(ctx.incident.id),
      text,
      owner,
      due,
      authorId: ctx.actor.id,
      createdAt: ctx.now,
    });
    const extra = [owner, due && `due ${due}`].filter(Boolean).join(", ");
    return reply.channel(`Action ${item.number} added: ${text}${extra ? ` (${extra})` : ""}`, {
      effects: [{ kind: "incident-changed", incident: ctx.incident }],
    });
  },
});
