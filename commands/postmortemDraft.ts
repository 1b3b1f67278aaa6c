import { noArguments } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { draftFileName, loadTemplate, renderDraft } from "../src/postmortem/render.ts";

export const postmortemDraft = defineCommand({
  group: "postmortem",
  name: "draft",
  summary: "the whole post-mortem as Markdown, ready to publish",
  usage: "[--template <name>]",
  examples: ["/postmortem draft", "/postmortem draft --template ours   (templates/ours.md.liquid)"],
  options: {
    template: {
      takesValue: true,
      placeholder: "<name>",
      description:
        "a Liquid template from the templates folder (HINDSIGHT_TEMPLATES_DIR) instead of the default",
    },
  },
  incident: "required",
  parse(input, ctx) {
    noArguments(input.text);
    // Anyone in chat can type --template: it names a file in the templates folder, never a path
    // elsewhere on the server. The configured default is the operator's and may be anywhere.
    const named = input.options.template;
    const template =
      typeof named === "string"
        ? loadTemplate(named, { confineTo: ctx.settings.templatesDir })
        : loadTemplate(ctx.settings.template, { templatesDir: ctx.settings.templatesDir });
    return { template };
  },
  run({ template }, ctx) {
    const data = ctx.incidents.draftData(ctx.incident, ctx.settings.category, {
      authors: ctx.settings.draftAuthors,
    });
    const markdown = renderDraft(data, { template });
    const name = draftFileName(data);
    return reply.channel(
      `Post-mortem draft of INC-${ctx.incident.id}: ${data.timeline.length} timeline entries, ${data.actions.length} action item${data.actions.length === 1 ? "" : "s"}.`,
      { file: { name, content: markdown, mimeType: "text/markdown" } },
    );
  },
});
