import type { Incident } from "../../../storage/records.ts";
import type { Bot } from "../../core/bot.ts";
import type { WebClient } from "./slackApi.ts";
import { escapeSlack } from "./text.ts";

/*
 * Status updates and reminders on Slack, kept apart from the channel lifecycle: the core hands
 * over plain text, this posts it where the incident is followed.
 */
export interface SlackPostDeps {
  client: WebClient;
  bot: Bot;
  /** channel id or name where new incidents and updates are announced */
  announceChannel?: string | undefined;
}

const incidentChannels = (bot: Bot, incidentId: number): string[] =>
  bot.repos.incidents
    .rooms(incidentId)
    .filter((r) => r.platform === "slack")
    .map((r) => r.roomId);

/** `incident-update`: the update in the incident's channel, and announced with a link to it. */
export async function postUpdate(deps: SlackPostDeps, incident: Incident, text: string) {
  const [channel] = incidentChannels(deps.bot, incident.id);
  const body = `:mega: ${escapeSlack(text)}`;
  if (channel) await deps.client.chat.postMessage({ channel, text: body });
  if (deps.announceChannel && deps.announceChannel !== channel) {
    const where = channel ? ` Follow it in <#${channel}>.` : "";
    await deps.client.chat.postMessage({ channel: deps.announceChannel, text: `${body}${where}` });
  }
}

/** A reminder in each Slack channel of the incident (none: the incident lives elsewhere). */
export async function postReminder(deps: SlackPostDeps, incidentId: number, text: string) {
  for (const channel of incidentChannels(deps.bot, incidentId))
    await deps.client.chat.postMessage({ channel, text: `:alarm_clock: ${escapeSlack(text)}` });
}
