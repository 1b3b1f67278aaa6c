import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import { actionByNumber } from "./actionItem.ts";

export const actionUndo = defineCommand({
  group: "action",
  name: "undo",
  aliases: ["reopen"],
  summary: "mark a done action item open again",
  usage: "<n>",
  examples: ["/action undo 1"],
  incident: "required",
  parse: (input, ctx) => ({ item: actionByNumber(input, ctx) }),
  run({ item }, ctx) {
    if (item.doneAt === null) throw new UserError(`action ${item.number} is not done`);
    ctx.incidents.actions.undo(item);
    return reply.channel(`Action ${item.number} is open again: ${item.text}`, {
      effects: [{ kind: "incident-changed", incident: ctx.incident }],
    });
  },
});
