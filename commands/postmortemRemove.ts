import { check, numberArg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { takeWord } from "../src/core/scan.ts";
import { UserError } from "../src/errors.ts";
import { SECTIONS } from "../src/incidents/sections.ts";
import { takeSection } from "./section.ts";

export const postmortemRemove = defineCommand({
  group: "postmortem",
  name: "remove",
  aliases: ["rm", "delete"],
  summary: "remove one item of a section (it stays in the audit log)",
  usage: `<section> <n>   (sections: ${SECTIONS.join(", ")}; numbers from /postmortem show)`,
  examples: ["/postmortem remove went-wrong 2"],
  incident: "required",
  parse(input, ctx) {
    const { section, rest } = takeSection(input.text);
    const { word, rest: extra } = takeWord(rest);
    const number = check(numberArg("item number"), word, "item number");
    if (extra.trim() !== "")
      throw new UserError(`unexpected "${extra.trim().slice(0, 40)}" after the item number`);
    // Items are numbered by position, as /postmortem show lists them.
    const all = ctx.incident ? ctx.incidents.sections.show(ctx.incident, section) : [];
    const item = all[number - 1];
    if (!item) {
      const has = all.length === 0 ? "it is empty" : `it has ${all.length}`;
      throw new UserError(
        `${section} has no item ${number} (${has}); see /postmortem show ${section}`,
      );
    }
    return { section, number, item };
  },
  run({ section, number, item }, ctx) {
    ctx.incidents.sections.remove(ctx.incident, section, number, item, {
      actorId: ctx.actor.id,
      now: ctx.now,
    });
    const left = ctx.incidents.sections.show(ctx.incident, section).length;
    const text = item.text.length > 200 ? `${item.text.slice(0, 200)}…` : item.text;
    return reply.channel(
      `Removed item ${number} from ${section} of INC-${ctx.incident.id} (${left} left): ${text}`,
    );
  },
});
