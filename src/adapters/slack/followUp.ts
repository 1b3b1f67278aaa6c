import type { Incident } from "../../../storage/records.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import type { Reply, ReplyFile } from "../../core/reply.ts";
import type { Logger } from "../../logging.ts";
import type { Channels, Origin } from "./channels.ts";
import { slackErrorCode, type WebClient } from "./slackApi.ts";
import { escapeSlack, markdownChunks, renderReply } from "./text.ts";

export interface FollowUpDeps {
  client: WebClient;
  bot: Bot;
  channels: Channels;
  log: Logger;
}

/**
 * `/postmortem draft`: the Markdown as a file in the channel (files upload v2:
 * getUploadURLExternal → POST to the returned URL → completeUploadExternal). Typed where the bot
 * is not a member (a private channel, a DM), the upload fails: the file then goes to the
 * incident's own channel and the caller is told where. When Slack refuses uploads altogether
 * (scope missing, files disabled), the same Markdown goes out as code-block messages. The success
 * ack went out already, so when nothing works the caller hears why.
 */
export async function deliverDraft(
  deps: FollowUpDeps,
  file: ReplyFile,
  origin: Origin,
  incident: Incident | undefined,
): Promise<void> {
  const here = await upload(deps, origin.channel, file);
  if (here === undefined) return;
  const own = incident && incidentChannel(deps, incident.id);
  if (own && own !== origin.channel) {
    if ((await upload(deps, own, file)) === undefined) {
      await tell(
        deps,
        origin,
        `Could not post the draft here (Slack said: ${escapeSlack(here)}); it is in <#${own}>.`,
      );
      return;
    }
  }
  try {
    await postAsCodeBlocks(deps, origin.channel, file);
  } catch (error) {
    const reason =
      slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
    deps.log.warn({ err: error, channel: origin.channel }, "draft could not be posted as text");
    const where = own ? `, or run it in <#${own}>` : "";
    await tell(
      deps,
      origin,
      `The draft could not be delivered (Slack said: ${escapeSlack(`${here}, then ${reason}`)}). Invite the bot to this channel${where}.`,
    );
  }
}

/**
 * The Markdown as preformatted rich-text blocks: they render as code blocks, and unlike a
 * mrkdwn ``` fence their text is taken literally (no &amp; escaping, and a ``` in the document
 * cannot end the block), so what people copy is the draft exactly. `text` is the notification.
 */
async function postAsCodeBlocks(deps: FollowUpDeps, channel: string, file: ReplyFile) {
  const chunks = markdownChunks(file.content);
  for (const [i, chunk] of chunks.entries()) {
    await deps.client.chat.postMessage({
      channel,
      text: escapeSlack(`${file.name} (${i + 1}/${chunks.length})`),
      blocks: [
        {
          type: "rich_text",
          elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: chunk }] }],
        },
      ],
    });
  }
}

/** undefined when uploaded, else Slack's reason. */
async function upload(
  deps: FollowUpDeps,
  channel: string,
  file: ReplyFile,
): Promise<string | undefined> {
  try {
    await deps.client.filesUploadV2({
      channel_id: channel,
      filename: file.name,
      title: file.name,
      content: file.content,
    });
    return undefined;
  } catch (error) {
    deps.log.warn({ err: error, channel, file: file.name }, "draft upload failed");
    return slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  }
}

function incidentChannel(deps: FollowUpDeps, incidentId: number): string | undefined {
  return deps.bot.repos.incidents.rooms(incidentId).find((r) => r.platform === "slack")?.roomId;
}

/** `text` is Slack mrkdwn already (a channel link in it must stay a link). */
async function tell(deps: FollowUpDeps, origin: Origin, text: string): Promise<void> {
  if (origin.tell) await origin.tell(text);
  else deps.log.warn({ channel: origin.channel, notice: text }, "no way to tell the caller");
}

/** What a reply asks for beyond its text, run after the ack: files, channels, summaries. */
export async function runReplyEffects(
  deps: FollowUpDeps,
  reply: Reply,
  origin: Origin,
  incident?: Incident,
): Promise<void> {
  const steps: Promise<unknown>[] = [];
  if (reply.file) steps.push(deliverDraft(deps, reply.file, origin, incident));
  for (const effect of reply.effects ?? []) {
    steps.push(
      effect.kind === "incident-declared"
        ? deps.channels.declared(effect.incident, effect.createRoom, origin)
        : effect.kind === "incident-update"
          ? deps.channels.updated(effect.incident, effect.text)
          : deps.channels.changed(effect.incident.id),
    );
  }
  // Each step logs its own failure; one failing must not stop the others.
  const results = await Promise.allSettled(steps);
  for (const r of results)
    if (r.status === "rejected") deps.log.error({ err: r.reason }, "Slack follow-up failed");
}

/**
 * A command typed as a message ("!incident sev 2") has no ack to carry its reply: it is posted,
 * to the whole channel or only to the caller.
 */
export async function postReply(deps: FollowUpDeps, result: HandleResult, origin: Origin) {
  if (result.kind !== "ok" && result.kind !== "user-error" && result.kind !== "internal-error")
    return;
  const { reply } = result;
  const text = renderReply(reply);
  if (reply.visibility === "channel" && result.kind === "ok")
    await deps.client.chat.postMessage({ channel: origin.channel, text });
  else await deps.client.chat.postEphemeral({ channel: origin.channel, user: origin.user, text });
  if (result.kind === "ok") await runReplyEffects(deps, reply, origin, result.incident);
}
