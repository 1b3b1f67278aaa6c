import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { SECTIONS } from "../src/incidents/sections.ts";
import { takeSection } from "./section.ts";

export const postmortemAdd = defineCommand({
  group: "postmortem",
  name: "add",
  aliases: ["append"],
  summary: "append one bullet to a section",
  usage: `<section> <text>   (sections: ${SECTIONS.join(", ")})`,
  examples: [
    "/postmortem add went-wrong Not running highstate on all machines after the last downtime",
  ],
  incident: "required",
  parse(input) {
    const { section, rest } = takeSection(input.text);
    return { section, text: requireText(rest, "text") };
  },
  run({ section, text }, ctx) {
    const count = ctx.incidents.sections.add(ctx.incident, section, text, {
      actorId: ctx.actor.id,
      now: ctx.now,
    });
    return reply.channel(
      `Added to ${section} of INC-${ctx.incident.id} (${count} item${count === 1 ? "" : "s"}).`,
    );
  },
});
