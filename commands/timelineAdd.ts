import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { addTimelineEntry } from "../src/incidents/timeline.ts";
import { formatUtc, splitLeadingWhen } from "../src/incidents/when.ts";
import { whenContext } from "./time.ts";

export const timelineAdd = defineCommand({
  group: "timeline",
  name: "add",
  summary: "log what happened; without a time it is stamped with this message's time",
  usage: "[<when>] <text>",
  examples: [
    "/timeline add noticed the proxy down",
    "/timeline add 10:05 noticed a problem with the webserver on the main login-proxy",
    "/timeline add -15m first alert fired",
    '/timeline add "2023-02-23 10:05 CET" deploy started',
  ],
  incident: "required",
  parse(input, ctx) {
    const { at, rest } = splitLeadingWhen(input.text, whenContext(ctx));
    return { at: at ?? ctx.now, text: requireText(rest, "text") };
  },
  run({ at, text }, ctx) {
    const entry = addTimelineEntry(
      ctx.repos,
      ctx.incident,
      { at, text, kind: "note", authorId: ctx.actor.id },
      ctx.now,
    );
    return reply.channel(`Added #${entry.number} at ${formatUtc(at)}: ${text}`);
  },
});
