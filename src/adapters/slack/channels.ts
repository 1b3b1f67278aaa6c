import type { Incident } from "../../../storage/records.ts";
import type { Clock } from "../../clock.ts";
import type { Bot } from "../../core/bot.ts";
import { summaryCard } from "../../incidents/summary.ts";
import type { Logger } from "../../logging.ts";
import { backfillChannel } from "./backfill.ts";
import { candidateName, incidentChannelName } from "./channelName.ts";
import { createSerialQueue, slackErrorCode, type WebClient } from "./slackApi.ts";
import { escapeSlack, renderReply } from "./text.ts";
import { postUpdate } from "./updates.ts";
import type { UserCache } from "./users.ts";

export interface ChannelDeps {
  client: WebClient;
  bot: Bot;
  clock: Clock;
  log: Logger;
  users: UserCache;
  /** channel id or name where new incidents are announced */
  announceChannel?: string | undefined;
}

/** Where a declaration came from: the channel it was typed in and the person who typed it. */
export interface Origin {
  channel: string;
  user: string;
  /** posts to the command's response_url: works in channels the bot is not a member of */
  respond?: ((text: string) => Promise<unknown>) | undefined;
  /** a notice only the caller sees (response_url ephemeral, or chat.postEphemeral) */
  tell?: ((text: string) => Promise<unknown>) | undefined;
}

const MAX_NAME_ATTEMPTS = 20;
const summaryKey = (incidentId: number) => `slack:summary:${incidentId}`;

/**
 * The incident channel's lifecycle: create (inc-<n>-<slug>, name collisions get -2, -3, …),
 * invite the caller, post and pin the summary, keep it current, announce, backfill.
 * All of it runs after the command's ack; failures are logged and never undo the command.
 */
export function createChannels(deps: ChannelDeps) {
  const { client, bot, clock, log } = deps;
  const serial = createSerialQueue();

  async function createChannel(incident: Incident): Promise<string> {
    const base = incidentChannelName(incident.id, incident.title);
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const name = candidateName(base, attempt);
      try {
        const res = await client.conversations.create({ name, is_private: false });
        if (res.channel?.id) return res.channel.id;
        throw new Error("conversations.create returned no channel id");
      } catch (error) {
        if (slackErrorCode(error) !== "name_taken") throw error;
      }
    }
    throw new Error(`channel names ${base} … ${base}-${MAX_NAME_ATTEMPTS} are all taken`);
  }

  async function postSummary(incident: Incident, channel: string): Promise<void> {
    const text = renderReply(summaryCard(bot.repos, incident, clock.now()));
    let posted: Awaited<ReturnType<typeof client.chat.postMessage>>;
    try {
      posted = await client.chat.postMessage({ channel, text });
    } catch (error) {
      // Channel creation off: the current channel may be one the bot was never added to.
      if (slackErrorCode(error) !== "not_in_channel") throw error;
      await client.conversations.join({ channel });
      posted = await client.chat.postMessage({ channel, text });
    }
    if (!posted.ts) return;
    bot.repos.state.set(summaryKey(incident.id), JSON.stringify({ channel, ts: posted.ts }));
    try {
      await client.pins.add({ channel, timestamp: posted.ts });
    } catch (error) {
      if (slackErrorCode(error) !== "already_pinned") throw error;
    }
  }

  async function invite(channel: string, user: string): Promise<void> {
    try {
      await client.conversations.invite({ channel, users: user });
    } catch (error) {
      // The creator may already be in it (or be the bot itself): nothing to do.
      const code = slackErrorCode(error);
      if (code !== "already_in_channel" && code !== "cant_invite_self") throw error;
    }
  }

  async function announce(incident: Incident, channel: string, origin: Origin): Promise<void> {
    if (!deps.announceChannel) return;
    const sev = incident.severity === null ? "" : ` (SEV${incident.severity})`;
    await client.chat.postMessage({
      channel: deps.announceChannel,
      text: `:rotating_light: INC-${incident.id} declared${escapeSlack(sev)}: ${escapeSlack(incident.title)} by <@${origin.user}>. Follow it in <#${channel}>.`,
    });
  }

  /** The pinned summary follows status, severity, roles and action items (run it serially). */
  async function refreshSummary(incidentId: number): Promise<void> {
    const stored = bot.repos.state.get(summaryKey(incidentId));
    const incident = bot.repos.incidents.get(incidentId);
    if (!stored || !incident) return;
    const { channel, ts } = JSON.parse(stored) as { channel: string; ts: string };
    const text = renderReply(summaryCard(bot.repos, incident, clock.now()));
    await client.chat.update({ channel, ts, text });
  }

  const changed = (incidentId: number): Promise<void> =>
    serial(String(incidentId), () => refreshSummary(incidentId));

  return {
    /** `incident-declared`: a channel of its own (or the current one), summary, invite, announce. */
    declared(incident: Incident, createRoom: boolean, origin: Origin): Promise<void> {
      return serial(String(incident.id), async () => {
        let channel = origin.channel;
        if (createRoom) {
          channel = await createChannel(incident);
          bot.bindRoom(incident.id, "slack", channel);
          await invite(channel, origin.user);
          // A pointer for the channel the command was typed in; losing it must not stop the rest.
          await origin
            .respond?.(`INC-${incident.id} has its own channel: <#${channel}>`)
            .catch((error: unknown) => log.warn({ err: error }, "response_url post failed"));
        }
        await postSummary(incident, channel);
        await announce(incident, channel, origin);
        // A channel that existed before (creation off) has history worth collecting.
        if (createRoom) return;
        const done = await backfillChannel({ client, bot, log, users: deps.users }, channel);
        if (done.actions) await refreshSummary(incident.id);
      });
    },

    /** `incident-changed`: the pinned summary follows status, severity, roles and action items. */
    changed,

    /** `incident-update`: in the incident's channel and the announce channel, in command order. */
    updated: (incident: Incident, text: string): Promise<void> =>
      serial(String(incident.id), () => postUpdate({ ...deps, bot }, incident, text)),

    /** The bot was added to a channel: if it is an incident's, collect what was said before. */
    async joined(channel: string): Promise<void> {
      const incident = bot.incidentForRoom("slack", channel);
      if (!incident) return;
      const done = await backfillChannel({ client, bot, log, users: deps.users }, channel);
      if (done.actions) await changed(incident.id);
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
