import { noArguments } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { actionLine } from "./actionItem.ts";

export const actionList = defineCommand({
  group: "action",
  name: "list",
  aliases: ["show"],
  summary: "the action items, open and done",
  usage: "",
  examples: ["/action list"],
  incident: "required",
  parse(input) {
    noArguments(input.text);
    return {};
  },
  run(_args, ctx) {
    const items = ctx.incidents.actions.list(ctx.incident);
    if (items.length === 0)
      return reply.caller(`INC-${ctx.incident.id} has no action items. Add one with /action add.`);
    const lines = items.map((a) => {
      const tracked = a.link
        ? ` → ${a.link.ref} ${a.link.url}`
        : a.exportState === "pending"
          ? " (export pending)"
          : "";
      return `${a.doneAt === null ? "[ ]" : "[x]"} ${a.number}. ${actionLine(a)}${tracked}`;
    });
    return reply.caller(lines.join("\n"), { title: `Action items of INC-${ctx.incident.id}` });
  },
});
