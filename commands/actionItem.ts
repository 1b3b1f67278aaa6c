import { check, numberArg } from "../src/core/args.ts";
import type { CommandContext, CommandInput } from "../src/core/command.ts";
import { UserError } from "../src/errors.ts";
import type { ActionItem, Incident } from "../storage/records.ts";

/** `<n>` of /action done|undo|remove: the action item, or a UserError that points to the list. */
export function actionByNumber(
  input: CommandInput,
  ctx: CommandContext & { incident: Incident | undefined },
): ActionItem {
  const number = check(numberArg("action number"), input.text.trim() || undefined, "action number");
  const item = ctx.incident ? ctx.repos.actions.get(ctx.incident.id, number) : undefined;
  if (!item) throw new UserError(`there is no action item ${number}; see /action list`);
  return item;
}
