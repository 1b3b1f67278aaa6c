import { check, numberArg } from "../src/core/args.ts";
import type { CommandContext, CommandInput } from "../src/core/command.ts";
import { UserError } from "../src/errors.ts";
import type { ActionItem, Incident } from "../src/incidents/types.ts";

type ParseContext = CommandContext & { incident: Incident | undefined };

/** `<n>` of /action done|undo|remove: the action item, or a UserError that points to the list. */
export function actionByNumber(input: CommandInput, ctx: ParseContext): ActionItem {
  return actionNumbered(input.text.trim() || undefined, ctx);
}

/** The action item a typed number (`3`, `#3`) names in this incident. */
export function actionNumbered(word: string | undefined, ctx: ParseContext): ActionItem {
  const number = check(numberArg("action number"), word, "action number");
  const item = ctx.incident ? ctx.incidents.actions.get(ctx.incident, number) : undefined;
  if (!item) throw new UserError(`there is no action item ${number}; see /action list`);
  return item;
}

/** "fix it (@bob, due 2023-03-10)": an item as lists and replies show it. */
export function actionLine(item: Pick<ActionItem, "text" | "owner" | "due">): string {
  const extra = [item.owner, item.due && `due ${item.due}`].filter(Boolean).join(", ");
  return `${item.text}${extra ? ` (${extra})` : ""}`;
}
