import type { CommandContext, CommandInput } from "../src/core/command.ts";
import { UserError } from "../src/errors.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { parseWhen, type WhenContext } from "../src/incidents/time/parse.ts";
import type { TimeRule } from "../src/incidents/timeline.ts";
import type { Incident } from "../src/incidents/types.ts";

type ParseContext = CommandContext & { incident: Incident | undefined };

const DAY_MS = 86_400_000;
/** A time this far before the declared start is most likely a typo in the date. */
const EARLY_WARNING_MS = 7 * DAY_MS;

/**
 * How a command reads `<when>`: in the caller's zone; live (a bare time is its most recent
 * occurrence) or, for an incident being written up, near its latest typed time.
 */
export function whenContext(ctx: ParseContext, known?: TimeRule): WhenContext {
  const base = { now: ctx.now, zone: ctx.zone };
  const rule = known ?? (ctx.incident && ctx.incidents.timeline.rule(ctx.incident, ctx.now));
  return rule?.mode === "write-up" ? { ...base, anchor: rule.anchor } : base;
}

/** When a state change happened, and whether a person said so (typed) or it is "now". */
export interface ChangeTime {
  at: number;
  typed: boolean;
}

/**
 * `--at <when>` of a state change (status, sev, role, resolve). Without it the change is stamped
 * with the message's time while the incident is live; in a write-up that would date it today,
 * so the command is refused and asks for `--at` (`--at now` when today is really meant).
 */
export function changeTime(input: CommandInput, ctx: ParseContext): ChangeTime {
  const at = input.options.at;
  if (typeof at === "string") return { at: parseWhen(at, whenContext(ctx)), typed: true };
  return { at: nowUnlessWriteUp(ctx), typed: false };
}

/** The message's time, refused for an incident being written up (see changeTime). */
export function nowUnlessWriteUp(ctx: ParseContext, how = "--at <when>"): number {
  if (ctx.incident) {
    const rule = ctx.incidents.timeline.rule(ctx.incident, ctx.now);
    if (rule.mode === "write-up") {
      throw new UserError(
        `INC-${ctx.incident.id} is being written up (its latest typed time is ${formatUtc(rule.anchor)}), so this would be dated today: say when with ${how}, or "now" if it is happening now`,
      );
    }
  }
  return ctx.now;
}

/** " Check the date: …" for a time more than 7 days before the declared start, else "". */
export function earlyWarning(at: number, incident: Incident): string {
  if (at >= incident.startedAt - EARLY_WARNING_MS) return "";
  const days = Math.floor((incident.startedAt - at) / DAY_MS);
  return ` Check the date: that is ${days} days before INC-${incident.id} started (${formatUtc(incident.startedAt)}).`;
}
