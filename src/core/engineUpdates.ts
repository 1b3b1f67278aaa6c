import { createHash } from "node:crypto";
import type { Incident } from "../incidents/types.ts";
import { refreshCard } from "./engineCard.ts";
import type { EngineContext } from "./engineContext.ts";

/**
 * After `incident-update`: the update in the incident's room(s) on this platform and in the
 * announce room, with a pointer to the incident's room. Each post is named by what it says
 * (author and time are in the text), so a command replayed after a crash posts it once where the
 * platform deduplicates; in per-incident order with the card edit that follows it.
 */
export function statusUpdate(ctx: EngineContext, incident: Incident, text: string): Promise<void> {
  return ctx.serial(String(incident.id), async () => {
    const { bot, surface } = ctx;
    const key = `update-${incident.id}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    const rooms = bot.roomsOf(incident.id, surface.platform);
    for (const room of rooms)
      await surface.post(
        room,
        { text: `📣 ${text}` },
        { visibility: "channel", key: `${key}-${room}` },
      );
    const target = await surface.announceRoom();
    if (!target || rooms.includes(target)) return;
    const own = rooms[0];
    await surface.post(
      target,
      {
        text: own
          ? [
              `📣 ${text} Follow it in `,
              { room: own, name: `INC-${incident.id}: ${incident.title}` },
              ".",
            ]
          : `📣 ${text}`,
      },
      { visibility: "channel", key: `${key}-announce` },
    );
  });
}

/**
 * A reminder in each of the incident's rooms on this platform (none: the incident lives on
 * another platform, and that one posts it). Reminders are recorded before they are posted, so
 * each post is fresh: no key, which could make a platform drop the next day's identical text.
 */
export async function postToIncidentRoom(
  ctx: EngineContext,
  incidentId: number,
  text: string,
  options: { cardChanged?: boolean } = {},
): Promise<void> {
  for (const room of ctx.bot.roomsOf(incidentId, ctx.surface.platform))
    await ctx.surface.post(room, { text }, { visibility: "channel" });
  if (options.cardChanged) await refreshCard(ctx, incidentId, false);
}
