import { type Command, GROUPS, type Group, usageOf } from "./command.ts";
import { type Registry, suggestCommand } from "./registry.ts";
import { type Reply, reply } from "./reply.ts";

/** Help is generated from the command specs, never written twice. */
export function groupHelp(registry: Registry, group: Group): Reply {
  const lines = registry.inGroup(group).map((c) => `• ${usageOf(c)} — ${c.summary}`);
  lines.push(`• /${group} help <command> — details and examples for one command`);
  return reply.caller(lines.join("\n"), { title: `/${group} commands` });
}

export function commandHelp(command: Command): Reply {
  const lines = [command.summary, `Usage: ${usageOf(command)}`];
  if (command.aliases.length > 0) lines.push(`Aliases: ${command.aliases.join(", ")}`);
  for (const [name, option] of Object.entries(command.options)) {
    lines.push(
      `  --${name}${option.placeholder ? ` ${option.placeholder}` : ""}  ${option.description}`,
    );
  }
  if (command.examples.length > 0) {
    lines.push("Examples:");
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return reply.caller(lines.join("\n"), { title: `/${command.group} ${command.name}` });
}

export function overviewHelp(registry: Registry): Reply {
  const lines: string[] = [];
  for (const group of GROUPS) {
    const names = registry.inGroup(group).map((c) => c.name);
    lines.push(`• /${group} ${names.join(" | ")} — /${group} help`);
  }
  lines.push(
    "In an incident's room, commands act on that incident; elsewhere start with INC-7 or #7.",
  );
  lines.push(
    "Plain messages starting with impact:, root cause:, trigger:, detection:, resolution:, lesson:, went well:, went wrong:, lucky:, action: or timeline: are filed into the post-mortem.",
  );
  return reply.caller(lines.join("\n"), { title: "Hindsight commands" });
}

/**
 * Help about a topic that does not exist (`/incident help nonsense`): says so, with a did you
 * mean where one is close, then the help it would have got without the topic.
 */
export function unknownTopic(registry: Registry, group: Group | undefined, topic: string): Reply {
  const shown = topic.slice(0, 40);
  if (group === undefined) {
    const guess = suggestCommand(registry, topic, undefined);
    const hint = guess && guess !== "help" ? ` Did you mean /${guess.group}?` : "";
    const help = overviewHelp(registry);
    return { ...help, text: `no command /${shown}.${hint}\n${help.text}` };
  }
  const guess = registry.suggest(group, topic);
  const hint = guess ? ` Did you mean /${group} ${guess.name}?` : "";
  const help = groupHelp(registry, group);
  return { ...help, text: `no command /${group} ${shown}.${hint}\n${help.text}` };
}
