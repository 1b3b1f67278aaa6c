import type { CommandContext, CommandInput } from "../src/core/command.ts";
import { timeAnchor } from "../src/incidents/timeline.ts";
import { parseWhen, type WhenContext } from "../src/incidents/when.ts";
import type { Incident } from "../storage/records.ts";

type ParseContext = CommandContext & { incident: Incident | undefined };

/** How a command reads `<when>`: in the caller's zone, near the incident's latest entry. */
export function whenContext(ctx: ParseContext): WhenContext {
  const anchor = ctx.incident ? timeAnchor(ctx.repos, ctx.incident) : undefined;
  return { now: ctx.now, zone: ctx.zone, ...(anchor === undefined ? {} : { anchor }) };
}

/** `--at <when>` when given, else the time of the message that carried the command. */
export function atOption(input: CommandInput, ctx: ParseContext): number {
  const at = input.options.at;
  return typeof at === "string" ? parseWhen(at, whenContext(ctx)) : ctx.now;
}
