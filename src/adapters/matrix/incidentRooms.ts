import { createHash } from "node:crypto";
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
  /** collects a room's earlier messages (history mode): an existing room made an incident's */
  backfillRoom: (roomId: string) => Promise<number>;
}

/** Where the pinned summary card of an incident's room is remembered (kv), to edit it later. */
const cardKey = (incidentId: number, roomId: string) =>
  `matrix:summary-card:${incidentId}:${roomId}`;

function topicOf(incident: Incident): string {
  return `${severityLabel(incident.severity)} · ${incident.status} · Hindsight incident room: plain messages are collected for the post-mortem; !incident help for commands`;
}

/**
 * What happens in Matrix after a command committed: a new incident gets its own private room
 * (`INC-<n>: <title>`, topic, the caller invited, the summary pinned) and an optional
 * announcement; a changed incident gets its room topic and its pinned summary card refreshed.
 *
 * `declared` may run twice for one incident (the command replayed after a crash): it creates a
 * room only while none is bound, posts the card only while none is remembered, and names its
 * messages with fixed transaction ids, so the homeserver drops a repeat.
 */
export function incidentRooms(o: RoomOptions) {
  let announceId: string | undefined;

  /** The announce room's id (an alias is resolved once); undefined when none or unresolvable. */
  async function announceTarget(): Promise<string | undefined> {
    if (!o.announceRoom) return undefined;
    try {
      announceId ??= o.announceRoom.startsWith("#")
        ? (await o.outbox.resolveAlias(o.announceRoom)).room_id
        : o.announceRoom;
      return announceId;
    } catch (error) {
      o.log.warn({ err: describe(error) }, "MATRIX_ANNOUNCE_ROOM could not be resolved");
      return undefined;
    }
  }

  async function announce(incident: Incident, roomId: string): Promise<void> {
    const announceId = await announceTarget();
    if (!announceId) return;
    const text = `INC-${incident.id} declared: ${incident.title} (${severityLabel(incident.severity)}). Room: https://matrix.to/#/${roomId}`;
    await o.outbox.notice(
      announceId,
      renderNotice({ text, visibility: "channel" }),
      `hindsight-announce-${incident.id}`,
    );
  }

  const boundRoom = (incidentId: number) =>
    o.bot.repos.incidents.rooms(incidentId).find((r) => r.platform === "matrix")?.roomId;

  async function openRoom(incident: Incident, callerId: string): Promise<string> {
    const created = await o.outbox.createRoom({
      name: `INC-${incident.id}: ${incident.title}`,
      topic: topicOf(incident),
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      invite: [callerId],
    });
    o.bot.bindRoom(incident.id, "matrix", created.room_id);
    return created.room_id;
  }

  /** Posts and pins the summary card; false when the room already has one. */
  async function pinCard(incident: Incident, roomId: string): Promise<boolean> {
    const key = cardKey(incident.id, roomId);
    if (o.bot.repos.state.get(key)) return false;
    const card = summaryCard(o.bot.repos, incident, o.clock.now());
    const cardId = await o.outbox.notice(
      roomId,
      renderNotice({ ...card, visibility: "channel" }),
      `hindsight-card-${incident.id}-${roomId}`,
    );
    if (!cardId) return false;
    o.bot.repos.transaction(() => o.bot.repos.state.set(key, cardId));
    // Added to what is pinned already: in an existing room (room creation off) others' pins stay.
    const pinned = await o.outbox.pinned(roomId);
    if (!pinned.includes(cardId))
      await o.outbox.state(roomId, "m.room.pinned_events", { pinned: [...pinned, cardId] });
    return true;
  }

  async function declared(
    incident: Incident,
    callerId: string,
    fromRoom: string,
    createRoom: boolean,
  ) {
    let roomId = boundRoom(incident.id);
    if (!roomId && createRoom) {
      try {
        roomId = await openRoom(incident, callerId);
      } catch (error) {
        if (o.outbox.stopping()) throw error;
        o.log.error({ err: describe(error), incident: incident.id }, "could not create the room");
        await o.outbox.notice(
          fromRoom,
          renderNotice({
            text: `INC-${incident.id} is declared, but its room could not be created. Commands work here with INC-${incident.id} after the command words.`,
            visibility: "channel",
          }),
          `hindsight-no-room-${incident.id}`,
        );
        return;
      }
    }
    roomId ??= fromRoom;
    const fresh = await pinCard(incident, roomId);
    await announce(incident, roomId);
    // A room that existed before (room creation off) has history worth collecting, as on Slack.
    if (fresh && !createRoom) {
      const n = await o.backfillRoom(roomId);
      o.log.info({ roomId, incident: incident.id, events: n }, "backfilled room history");
    }
  }

  /** The room topics (unless `topic` is false) and pinned cards of an incident, as it is now. */
  async function refresh(changedIncident: Incident, topic = true): Promise<void> {
    // The effect carries the incident as the command saw it; the card shows it as it is now.
    const incident = o.bot.repos.incidents.get(changedIncident.id) ?? changedIncident;
    for (const room of o.bot.repos.incidents.rooms(incident.id)) {
      if (room.platform !== "matrix") continue;
      if (topic) await o.outbox.state(room.roomId, "m.room.topic", { topic: topicOf(incident) });
      const cardId = o.bot.repos.state.get(cardKey(incident.id, room.roomId));
      if (cardId) {
        const card = summaryCard(o.bot.repos, incident, o.clock.now());
        await o.outbox.edit(room.roomId, cardId, renderNotice({ ...card, visibility: "channel" }));
      }
    }
  }

  const matrixRooms = (incidentId: number) =>
    o.bot.repos.incidents.rooms(incidentId).filter((r) => r.platform === "matrix");

  /** `incident-update`: a notice in the incident's room(s) and the announce room. */
  async function updated(incident: Incident, text: string): Promise<void> {
    const notice = renderNotice({ text: `📣 ${text}`, visibility: "channel" });
    // Named by what it says (author and time included), so a command replayed after a crash
    // posts the update once.
    const txn = `hindsight-update-${incident.id}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    const rooms = matrixRooms(incident.id).map((r) => r.roomId);
    for (const roomId of rooms) await o.outbox.notice(roomId, notice, `${txn}-${roomId}`);
    const announceTo = await announceTarget();
    if (announceTo && !rooms.includes(announceTo))
      await o.outbox.notice(announceTo, notice, `${txn}-announce`);
  }

  return {
    refresh,
    /** Reminders: a notice in each of the incident's Matrix rooms (none: nothing to do). */
    async remind(incidentId: number, text: string): Promise<void> {
      const notice = renderNotice({ text: `⏰ ${text}`, visibility: "channel" });
      for (const room of matrixRooms(incidentId)) await o.outbox.notice(room.roomId, notice);
    },
    async apply(effects: Effect[] | undefined, callerId: string, fromRoom: string): Promise<void> {
      for (const effect of effects ?? []) {
        if (effect.kind === "incident-declared")
          await declared(effect.incident, callerId, fromRoom, effect.createRoom);
        else if (effect.kind === "incident-update") await updated(effect.incident, effect.text);
        else await refresh(effect.incident);
      }
    },
  };
}

export type IncidentRooms = ReturnType<typeof incidentRooms>;
