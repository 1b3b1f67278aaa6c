import { MAX_TITLE, requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import { authorOf } from "../src/incidents/lifecycle.ts";

export const incidentRename = defineCommand({
  group: "incident",
  name: "rename",
  aliases: ["title"],
  summary: "change the incident's title (its channel or room name follows where it can)",
  usage: "<title>",
  examples: ["/incident rename Certificate errors on the login proxy"],
  incident: "required",
  parse(input) {
    // The same rules as /incident start's title: one line, at most MAX_TITLE characters.
    const title = requireText(input.text, "title", MAX_TITLE);
    if (title.includes("\n")) throw new UserError("title must be one line");
    return { title };
  },
  run({ title }, ctx) {
    const { incident, before, onTimeline } = ctx.incidents.rename(ctx.incident, title, {
      author: authorOf(ctx.actor),
      now: ctx.now,
    });
    const where = onTimeline
      ? ""
      : " (a correction of the write-up: kept in the audit log, not on the timeline)";
    return reply.channel(`INC-${incident.id} renamed: ${before} → ${title}${where}`, {
      effects: [{ kind: "incident-renamed", incident }],
    });
  },
});
