import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { actionByNumber } from "./actionItem.ts";

export const actionRemove = defineCommand({
  group: "action",
  name: "remove",
  aliases: ["rm", "delete"],
  summary: "remove an action item (it stays in the audit log)",
  usage: "<n>",
  examples: ["/action remove 2"],
  incident: "required",
  parse: (input, ctx) => ({ item: actionByNumber(input, ctx) }),
  run({ item }, ctx) {
    ctx.incidents.actions.remove(item, { actorId: ctx.actor.id, now: ctx.now });
    return reply.channel(`Removed action ${item.number}: ${item.text}`, {
      effects: [{ kind: "incident-changed", incident: ctx.incident }],
    });
  },
});
