import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { IncidentService } from "../incidents/service.ts";
import type { Incident, TrackerKind } from "../incidents/types.ts";
import type { Actor, Invocation } from "./invocation.ts";
import type { Reply } from "./reply.ts";
import type { OptionSpec } from "./scan.ts";

export type Group = "incident" | "timeline" | "action" | "postmortem";
export const GROUPS: readonly Group[] = ["incident", "timeline", "action", "postmortem"];

export interface Settings {
  /** zone for times typed without one when the caller's own zone is unknown */
  timezone: string;
  /** Jekyll category in the draft's front matter */
  category: string;
  /** default template: "default" or a file path (the operator's choice, any path) */
  template: string;
  /** the only folder `/postmortem draft --template <name>` may read from (chat users' choice) */
  templatesDir: string;
  /** whether `/incident start` creates a new channel/room */
  createRooms: boolean;
  /** whether the bot's own lines in drafts name who did it ("… by alice") */
  draftAuthors: boolean;
  /** the issue tracker `/action export` files into, when one is set up */
  tracker?: { kind: TrackerKind; name: string };
}

/** What a handler may use. Narrow on purpose: no platform, no SDK. */
export interface CommandContext {
  invocation: Invocation;
  actor: Actor;
  /** the time of the message that carried the command */
  now: number;
  /** zone for times without one: the caller's profile zone, else the configured default */
  zone: string;
  clock: Clock;
  log: Logger;
  /** the domain's verbs: incidents, timeline, actions, sections, drafts */
  incidents: IncidentService;
  settings: Settings;
}

/** The parsed pieces of a command line. */
export interface CommandInput {
  /** free text after the command words, verbatim, options removed */
  text: string;
  options: Record<string, string | true>;
}

export interface CommandSpec<Args> {
  group: Group;
  name: string;
  aliases?: readonly string[];
  summary: string;
  /** arguments after the command words: `<title> [--sev 1-4] [--at <when>]` */
  usage: string;
  examples: readonly string[];
  options?: Record<string, OptionSpec>;
  /** "required": acts on one incident; "none": never; the dispatcher resolves it */
  incident: "required" | "none";
  /** turns the input into typed arguments; throws UserError (zod does the validation) */
  parse(input: CommandInput, ctx: CommandContext & { incident: Incident | undefined }): Args;
  run(args: Args, ctx: CommandContext & { incident: Incident }): Reply;
}

/** A command with its argument type closed over, so different commands fit in one list. */
export interface Command {
  group: Group;
  name: string;
  aliases: readonly string[];
  summary: string;
  usage: string;
  examples: readonly string[];
  options: Record<string, OptionSpec>;
  incident: "required" | "none";
  execute(input: CommandInput, ctx: CommandContext, incident: Incident | undefined): Reply;
}

export function defineCommand<Args>(spec: CommandSpec<Args>): Command {
  return {
    group: spec.group,
    name: spec.name,
    aliases: spec.aliases ?? [],
    summary: spec.summary,
    usage: spec.usage,
    examples: spec.examples,
    options: spec.options ?? {},
    incident: spec.incident,
    execute(input, ctx, incident) {
      const args = spec.parse(input, { ...ctx, incident });
      // incident "none" commands never read ctx.incident; the cast only widens for them.
      return spec.run(args, { ...ctx, incident: incident as Incident });
    },
  };
}

export function usageOf(command: Pick<Command, "group" | "name" | "usage">): string {
  return `/${command.group} ${command.name}${command.usage ? ` ${command.usage}` : ""}`;
}
