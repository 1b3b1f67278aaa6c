import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import { actionByNumber } from "./actionItem.ts";

export const actionDone = defineCommand({
  group: "action",
  name: "done",
  summary: "tick an action item off",
  usage: "<n>",
  examples: ["/action done 1"],
  incident: "required",
  parse: (input, ctx) => ({ item: actionByNumber(input, ctx) }),
  run({ item }, ctx) {
    if (item.doneAt !== null) throw new UserError(`action ${item.number} is already done`);
    ctx.incidents.actions.done(item, ctx.now);
    return reply.channel(`Action ${item.number} done: ${item.text}`, {
      effects: [{ kind: "incident-changed", incident: ctx.incident }],
    });
  },
});
