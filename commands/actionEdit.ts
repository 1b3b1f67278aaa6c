import { parseUser, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import type { ActionItem } from "../src/incidents/types.ts";
import { isClearing, parseDue } from "./actionDue.ts";
import { actionLine, actionNumbered } from "./actionItem.ts";

type Change = Pick<ActionItem, "text" | "owner" | "due">;

export const actionEdit = defineCommand({
  group: "action",
  name: "edit",
  aliases: ["change"],
  summary: "change an action item's text, owner or due date (the old one stays in the audit log)",
  usage: "<n> [<text>] [--owner @user|none] [--due <date>|none]",
  examples: [
    "/action edit 2 --owner @bob --due +3d",
    "/action edit 2 Add an alert on certificate expiry on every proxy",
    "/action edit 2 --owner none --due none",
  ],
  options: {
    owner: {
      takesValue: true,
      placeholder: "<@user|me|none>",
      description: "who will do it; none leaves it without an owner",
    },
    due: {
      takesValue: true,
      placeholder: "<YYYY-MM-DD|tomorrow|+3d|+2w|none>",
      description: "when it should be done (counted from your today); none clears it",
    },
  },
  incident: "required",
  parse(input, ctx) {
    const { word, rest } = takeWord(input.text);
    const item = actionNumbered(word, ctx);
    const { owner, due } = input.options;
    if (rest.trim() === "" && owner === undefined && due === undefined) {
      throw new UserError(
        `nothing to change in action ${item.number}: give new text, --owner or --due`,
      );
    }
    const change: Change = {
      text: rest.trim() === "" ? item.text : requireText(rest, "text"),
      owner:
        typeof owner !== "string"
          ? item.owner
          : isClearing(owner)
            ? null
            : parseUser(owner, ctx.actor).name,
      due: typeof due !== "string" ? item.due : isClearing(due) ? null : parseDue(due, ctx),
    };
    return { item, change };
  },
  run({ item, change }, ctx) {
    const what = changes(item, change);
    if (what.length === 0)
      return reply.caller(`Action ${item.number} already reads so: ${actionLine(item)}`);
    const after = ctx.incidents.actions.edit(item, change, { actorId: ctx.actor.id, now: ctx.now });
    return reply.channel(
      `Action ${item.number} edited (${what.join(", ")}): ${actionLine(after)}`,
      {
        effects: [{ kind: "incident-changed", incident: ctx.incident }],
      },
    );
  },
});

/** "owner none → @bob", "due 2023-03-01 → none", "text": what the reply says moved. */
function changes(before: Change, after: Change): string[] {
  const said = (value: string | null) => value ?? "none";
  const out: string[] = [];
  if (before.text !== after.text) out.push("text");
  if (before.owner !== after.owner) out.push(`owner ${said(before.owner)} → ${said(after.owner)}`);
  if (before.due !== after.due) out.push(`due ${said(before.due)} → ${said(after.due)}`);
  return out;
}
