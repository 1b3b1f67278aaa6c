import { noArguments } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { SECTIONS } from "../src/incidents/sections.ts";
import { takeSection } from "./section.ts";

/** Enough to recognise an item and find its number; the draft has every item whole. */
const SHOWN_ITEMS = 50;
const SHOWN_CHARS = 500;

export const postmortemShow = defineCommand({
  group: "postmortem",
  name: "show",
  aliases: ["list"],
  summary: "a section's numbered items (the numbers remove takes); no section: every section",
  usage: `[<section>]   (sections: ${SECTIONS.join(", ")})`,
  examples: ["/postmortem show", "/postmortem show went-wrong"],
  incident: "required",
  parse(input) {
    if (input.text.trim() === "") return { section: undefined };
    const { section, rest } = takeSection(input.text);
    noArguments(rest);
    return { section };
  },
  run({ section }, ctx) {
    const ref = `INC-${ctx.incident.id}`;
    if (section === undefined) {
      const counts = new Map<string, number>();
      for (const item of ctx.incidents.sections.all(ctx.incident))
        counts.set(item.section, (counts.get(item.section) ?? 0) + 1);
      const lines = SECTIONS.map((name) => `• ${name}: ${items(counts.get(name) ?? 0)}`);
      lines.push("See one with /postmortem show <section>; write with /postmortem add or set.");
      return reply.caller(lines.join("\n"), { title: `Post-mortem sections of ${ref}` });
    }
    const all = ctx.incidents.sections.show(ctx.incident, section);
    if (all.length === 0)
      return reply.caller(
        `${section} of ${ref} is empty. Add to it with /postmortem add ${section} <text>.`,
      );
    const lines = all.slice(0, SHOWN_ITEMS).map((item, i) => numbered(i + 1, item.text));
    if (all.length > SHOWN_ITEMS)
      lines.push(`(… ${all.length - SHOWN_ITEMS} more; /postmortem draft has them all)`);
    return reply.caller(lines.join("\n"), { title: `${section} of ${ref}: ${items(all.length)}` });
  },
});

function items(n: number): string {
  return n === 0 ? "empty" : `${n} item${n === 1 ? "" : "s"}`;
}

/** "2. text", later lines indented under it, long items cut with an ellipsis. */
function numbered(n: number, text: string): string {
  const shown = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  const prefix = `${n}. `;
  return prefix + shown.replace(/\r?\n/g, `\n${" ".repeat(prefix.length)}`);
}
