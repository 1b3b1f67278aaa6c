import { severityLabel } from "../incidents/summary.ts";
import type { Incident } from "../incidents/types.ts";
import type { EngineContext } from "./engineContext.ts";

/** Where a room's pinned card is remembered (per platform), so it can be edited later. */
const cardKey = (incidentId: number, room: string) => `summary-card:${incidentId}:${room}`;

/** The topic of an incident's room: how it stands, and what the room is for. */
export function topicOf(incident: Incident): string {
  return `${severityLabel(incident.severity)} · ${incident.status} · Hindsight incident room: plain messages are collected for the post-mortem; !incident help for commands`;
}

/**
 * Posts and pins the summary card in a room; false when the room has one already (a replayed
 * declaration). A room the bot may not be in yet (creation off, a Slack channel it was never
 * added to) is joined and the post tried again.
 */
export async function postCard(ctx: EngineContext, incident: Incident, room: string) {
  const { bot, surface } = ctx;
  const store = bot.store(surface.platform);
  const key = cardKey(incident.id, room);
  if (store.get(key)) return false;
  const card = bot.summaryCard(incident);
  const options = { visibility: "channel", key: `card-${incident.id}-${room}` } as const;
  let id: string | undefined;
  try {
    id = await surface.post(room, card, options);
  } catch (error) {
    ctx.log.info({ err: error, room }, "could not post the card; joining the room first");
    await surface.join(room);
    id = await surface.post(room, card, options);
  }
  if (!id) return false;
  store.set(key, id);
  await surface.pin(room, id);
  return true;
}

/**
 * The incident as it is now, in every room of it on this platform: the topic (unless `topic` is
 * false: a new action item changes the card, not the topic) and the pinned card. Run serially
 * per incident, after any declaration of it.
 */
export function refreshCard(ctx: EngineContext, incidentId: number, topic = true): Promise<void> {
  return ctx.serial(String(incidentId), () => refreshCardNow(ctx, incidentId, topic));
}

/** refreshCard without queueing: for a step that already runs in the incident's queue. */
export async function refreshCardNow(ctx: EngineContext, incidentId: number, topic: boolean) {
  const { bot, surface } = ctx;
  const incident = bot.incident(incidentId);
  if (!incident) return;
  const store = bot.store(surface.platform);
  for (const room of bot.roomsOf(incidentId, surface.platform)) {
    if (topic) {
      try {
        await surface.setTopic(room, topicOf(incident));
      } catch (error) {
        ctx.log.warn({ err: error, room }, "could not set the room topic");
      }
    }
    const cardId = store.get(cardKey(incidentId, room));
    if (cardId) await surface.edit(room, cardId, bot.summaryCard(incident));
  }
}
