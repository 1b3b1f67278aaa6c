import { Preset, Visibility } from "matrix-js-sdk";
import type { Incident } from "../../../storage/records.ts";
import type { Clock } from "../../clock.ts";
import type { Bot } from "../../core/bot.ts";
import type { Effect } from "../../core/reply.ts";
import { severityLabel, summaryCard } from "../../incidents/summary.ts";
import type { Logger } from "../../logging.ts";
import type { Outbox } from "./outbox.ts";
import { renderNotice } from "./render.ts";
import { describe } from "./retry.ts";

export interface RoomOptions {
  bot: Bot;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  /** room id or alias for "INC-n declared" announcements */
  announceRoom?: string | undefined;
}

/** Where the pinned summary card of an incident's room is remembered (kv), to edit it later. */
const cardKey = (incidentId: number, roomId: string) => `matrix.summary.${incidentId}.${roomId}`;

function topicOf(incident: Incident): string {
  return `${severityLabel(incident.severity)} · ${incident.status} · Hindsight incident room: plain messages are collected for the post-mortem; !incident help for commands`;
}

/**
 * What happens in Matrix after a command committed: a new incident gets its own private room
 * (`INC-<n>: <title>`, topic, the caller invited, the summary pinned) and an optional
 * announcement; a changed incident gets its room topic and its pinned summary card refreshed.
 */
export function incidentRooms(o: RoomOptions) {
  let announceId: string | undefined;

  async function announce(text: string): Promise<void> {
    if (!o.announceRoom) return;
    try {
      announceId ??= o.announceRoom.startsWith("#")
        ? (await o.outbox.resolveAlias(o.announceRoom)).room_id
        : o.announceRoom;
    } catch (error) {
      o.log.warn({ err: describe(error) }, "MATRIX_ANNOUNCE_ROOM could not be resolved");
      return;
    }
    await o.outbox.notice(announceId, renderNotice({ text, visibility: "channel" }));
  }

  async function declared(
    incident: Incident,
    callerId: string,
    fromRoom: string,
    createRoom: boolean,
  ) {
    let roomId = fromRoom;
    if (createRoom) {
      try {
        const created = await o.outbox.createRoom({
          name: `INC-${incident.id}: ${incident.title}`,
          topic: topicOf(incident),
          preset: Preset.PrivateChat,
          visibility: Visibility.Private,
          invite: [callerId],
        });
        roomId = created.room_id;
        o.bot.bindRoom(incident.id, "matrix", roomId);
      } catch (error) {
        o.log.error({ err: describe(error), incident: incident.id }, "could not create the room");
        await o.outbox.notice(
          fromRoom,
          renderNotice({
            text: `INC-${incident.id} is declared, but its room could not be created. Commands work here with INC-${incident.id} after the command words.`,
            visibility: "channel",
          }),
        );
        return;
      }
      const card = summaryCard(o.bot.repos, incident, o.clock.now());
      const cardId = await o.outbox.notice(
        roomId,
        renderNotice({ ...card, visibility: "channel" }),
      );
      if (cardId) {
        o.bot.repos.transaction(() => o.bot.repos.state.set(cardKey(incident.id, roomId), cardId));
        await o.outbox.state(roomId, "m.room.pinned_events", { pinned: [cardId] });
      }
    }
    await announce(
      `INC-${incident.id} declared: ${incident.title} (${severityLabel(incident.severity)}). Room: https://matrix.to/#/${roomId}`,
    );
  }

  async function changed(changedIncident: Incident): Promise<void> {
    // The effect carries the incident as the command saw it; the card shows it as it is now.
    const incident = o.bot.repos.incidents.get(changedIncident.id) ?? changedIncident;
    for (const room of o.bot.repos.incidents.rooms(incident.id)) {
      if (room.platform !== "matrix") continue;
      await o.outbox.state(room.roomId, "m.room.topic", { topic: topicOf(incident) });
      const cardId = o.bot.repos.state.get(cardKey(incident.id, room.roomId));
      if (cardId) {
        const card = summaryCard(o.bot.repos, incident, o.clock.now());
        await o.outbox.edit(room.roomId, cardId, renderNotice({ ...card, visibility: "channel" }));
      }
    }
  }

  return {
    async apply(effects: Effect[] | undefined, callerId: string, fromRoom: string): Promise<void> {
      for (const effect of effects ?? []) {
        if (effect.kind === "incident-declared")
          await declared(effect.incident, callerId, fromRoom, effect.createRoom);
        else await changed(effect.incident);
      }
    },
  };
}

export type IncidentRooms = ReturnType<typeof incidentRooms>;
