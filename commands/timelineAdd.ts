import { requireText } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { formatUtc } from "../src/incidents/time/format.ts";
import { splitLeadingWhen } from "../src/incidents/time/parse.ts";
import { earlyWarning, whenContext } from "./time.ts";

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
    // Read once per command: /timeline add is the hottest command (npm run bench, ingest).
    const rule = ctx.incident && ctx.incidents.timeline.rule(ctx.incident, ctx.now);
    const { at, rest } = splitLeadingWhen(input.text, whenContext(ctx, rule));
    const text = requireText(rest, "text");
    return { at: at ?? ctx.now, typed: at !== undefined, writeUp: rule?.mode === "write-up", text };
  },
  run({ at, typed, writeUp: isWriteUp, text }, ctx) {
    const writeUp = !typed && isWriteUp;
    const entry = ctx.incidents.timeline.add(
      ctx.incident,
      { at, text, kind: "note", authorId: ctx.actor.id, typed },
      ctx.now,
    );
    const today = writeUp
      ? ` This incident is being written up: to put it on its day, edit it with a time (/timeline edit ${entry.number} <when>).`
      : "";
    return reply.channel(
      `Added #${entry.number} at ${formatUtc(at)}: ${text}${earlyWarning(at, ctx.incident)}${today}`,
    );
  },
});
