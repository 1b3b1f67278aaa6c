import type { App, RespondArguments, SlashCommand } from "@slack/bolt";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import type { Actor } from "../../core/invocation.ts";
import { type FollowUpDeps, runReplyEffects } from "./followUp.ts";
import type { Self } from "./self.ts";
import { fromSlackText, renderReply } from "./text.ts";
import type { Profile, UserCache } from "./users.ts";

/** The slash commands of slack/manifest.yml. */
export const SLASH_COMMANDS = ["/incident", "/timeline", "/action", "/postmortem"] as const;

export interface CommandDeps extends FollowUpDeps {
  bot: Bot;
  clock: Clock;
  users: UserCache;
  self: () => Self;
  /** runs work after the ack without holding the listener (tracked for stop() and tests) */
  later: (work: Promise<unknown>, what: string) => void;
  /** how long a command may wait for the caller's profile before using the default zone */
  profileBudgetMs: number;
}

/** The HTTP/WebSocket answer to a command: its reply, for the channel or only for the caller. */
export function ackFor(result: HandleResult): RespondArguments | undefined {
  if (result.kind === "ok") {
    return {
      response_type: result.reply.visibility === "channel" ? "in_channel" : "ephemeral",
      text: renderReply(result.reply),
    };
  }
  if (result.kind === "user-error" || result.kind === "internal-error")
    return { response_type: "ephemeral", text: renderReply(result.reply) };
  // duplicate (Slack retried after a lost ack): the first delivery already answered.
  return undefined;
}

/**
 * Each slash command: the caller's profile (cached), the command run and committed by the core,
 * then the ack carrying the reply, and only then the Web API calls its effects need. A slow
 * Slack API therefore never delays the ack.
 */
export function registerCommands(app: App, deps: CommandDeps): void {
  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command, ack, respond }) => {
      if (command.team_id !== deps.self().teamId) {
        await ack({
          response_type: "ephemeral",
          text: "This Hindsight serves another Slack workspace; its commands do not work here.",
        });
        return;
      }
      let result: HandleResult;
      let profile: Profile | undefined;
      try {
        profile = await deps.users.lookup(command.user_id, deps.profileBudgetMs);
        result = run(deps, command, profile);
      } catch (error) {
        // The core turns command failures into replies; this is for the unforeseen (a full disk).
        deps.log.error({ err: error }, "slash command failed");
        await ack({ response_type: "ephemeral", text: "Something went wrong; nothing was saved." });
        return;
      }
      await ack(ackFor(result));
      if (!profile) deps.later(deps.users.warm(command.user_id), "users.info");
      if (result.kind !== "ok") return;
      deps.later(
        runReplyEffects(
          deps,
          result.reply,
          {
            channel: command.channel_id,
            user: command.user_id,
            // Bolt gives respond() only when Slack sent a response_url.
            respond: respond ? (text) => respond({ response_type: "in_channel", text }) : undefined,
            tell: respond ? (text) => respond({ response_type: "ephemeral", text }) : undefined,
          },
          result.incident,
        ),
        `follow-up of ${command.command}`,
      );
    });
  }
}

function run(deps: CommandDeps, command: SlashCommand, profile: Profile | undefined): HandleResult {
  const actor: Actor = {
    id: command.user_id,
    name: profile?.name ?? command.user_name,
    ...(profile?.timezone ? { timezone: profile.timezone } : {}),
  };
  return deps.bot.handle({
    platform: "slack",
    actor,
    room: command.channel_id,
    text: `${command.command} ${fromSlackText(command.text ?? "")}`,
    // trigger_id is unique per invocation; Slack does not redeliver commands, but a
    // Socket Mode reconnect can replay an unacknowledged envelope.
    eventId: `command:${command.trigger_id}`,
    time: deps.clock.now(),
  });
}
