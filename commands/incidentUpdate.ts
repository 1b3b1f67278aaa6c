import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { updateAnnouncement } from "../src/incidents/updates.ts";

export const incidentUpdate = defineCommand({
  group: "incident",
  name: "update",
  summary: "tell stakeholders where things stand: posted here and in the announce channel",
  usage: "<text>",
  examples: [
    "/incident update Failover done, error rate back to normal; watching for 30 minutes",
    "/incident update Root cause found (expired certificate); fix rolling out",
  ],
  incident: "required",
  parse(input) {
    return { text: requireText(input.text, "update text") };
  },
  run({ text }, ctx) {
    const { update, onTimeline } = ctx.incidents.postUpdate(ctx.incident, {
      at: ctx.now,
      text,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
    });
    // The card shows the latest update; the update itself goes to the room and the announcements.
    const ref = `INC-${ctx.incident.id}`;
    const note = onTimeline
      ? ""
      : ` Not on the timeline: ${ref} is being written up (add it with /timeline add <when> <text>).`;
    return reply.channel(`Update on ${ref} posted at ${formatUtc(update.at)}.${note}`, {
      effects: [
        {
          kind: "incident-update",
          incident: ctx.incident,
          text: updateAnnouncement(ctx.incident, update),
        },
        { kind: "incident-changed", incident: ctx.incident },
      ],
    });
  },
});
