import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { SECTIONS } from "../src/incidents/sections.ts";
import { takeSection } from "./section.ts";

export const postmortemSet = defineCommand({
  group: "postmortem",
  name: "set",
  summary: "replace a section's text",
  usage: `<section> <text>   (sections: ${SECTIONS.join(", ")})`,
  examples: [
    "/postmortem set impact Our reference server provided a wrong certificate for around 20 minutes.",
  ],
  incident: "required",
  parse(input) {
    const { section, rest } = takeSection(input.text);
    return { section, text: requireText(rest, "text") };
  },
  run({ section, text }, ctx) {
    const { incident } = ctx;
    const { replaced } = ctx.incidents.sections.set(incident, section, text, {
      actorId: ctx.actor.id,
      now: ctx.now,
    });
    return reply.channel(`${section} of INC-${incident.id} ${replaced ? "replaced" : "set"}.`);
  },
});
