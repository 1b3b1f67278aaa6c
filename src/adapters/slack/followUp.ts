import type { HandleResult } from "../../core/bot.ts";
import type { Reply, ReplyFile } from "../../core/reply.ts";
import type { Logger } from "../../logging.ts";
import type { Channels, Origin } from "./channels.ts";
import type { WebClient } from "./slackApi.ts";
import { markdownChunks, renderReply } from "./text.ts";

export interface FollowUpDeps {
  client: WebClient;
  channels: Channels;
  log: Logger;
}

/**
 * `/postmortem draft`: the Markdown as a file in the channel (files upload v2:
 * getUploadURLExternal → POST to the returned URL → completeUploadExternal). When Slack refuses
 * the upload (scope missing, files disabled), the same Markdown goes out as code-block messages.
 */
export async function uploadDraft(deps: FollowUpDeps, channel: string, file: ReplyFile) {
  try {
    await deps.client.filesUploadV2({
      channel_id: channel,
      filename: file.name,
      title: file.name,
      content: file.content,
    });
    return "uploaded";
  } catch (error) {
    deps.log.warn(
      { err: error, channel, file: file.name },
      "draft upload failed; posting it as text",
    );
  }
  for (const chunk of markdownChunks(file.content)) {
    await deps.client.chat.postMessage({ channel, text: chunk, mrkdwn: false });
  }
  return "posted";
}

/** What a reply asks for beyond its text, run after the ack: files, channels, summaries. */
export async function runReplyEffects(
  deps: FollowUpDeps,
  reply: Reply,
  origin: Origin,
): Promise<void> {
  const steps: Promise<unknown>[] = [];
  if (reply.file) steps.push(uploadDraft(deps, origin.channel, reply.file));
  for (const effect of reply.effects ?? []) {
    steps.push(
      effect.kind === "incident-declared"
        ? deps.channels.declared(effect.incident, effect.createRoom, origin)
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
  if (result.kind === "ok") await runReplyEffects(deps, reply, origin);
}
