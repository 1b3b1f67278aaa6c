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
    const { repos, incident } = ctx;
    const before = repos.sections.section(incident.id, section);
    repos.sections.clear(incident.id, section);
    repos.sections.add({
      incidentId: incident.id,
      section,
      kind: "paragraph",
      text,
      authorId: ctx.actor.id,
      createdAt: ctx.now,
    });
    if (before.length > 0) {
      repos.audit.write({
        incidentId: incident.id,
        at: ctx.now,
        actorId: ctx.actor.id,
        action: "replace",
        entity: "section",
        entityId: null,
        before: { section, items: before.map((i) => i.text) },
        after: { section, items: [text] },
      });
    }
    return reply.channel(
      `${section} of INC-${incident.id} ${before.length > 0 ? "replaced" : "set"}.`,
    );
  },
});
