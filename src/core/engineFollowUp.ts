import type { Incident } from "../incidents/types.ts";
import { refreshCard } from "./engineCard.ts";
import { type EngineContext, type Origin, step } from "./engineContext.ts";
import { deliverDraft } from "./engineDraft.ts";
import { declared, renamed } from "./engineRooms.ts";
import { statusUpdate } from "./engineUpdates.ts";
import type { Reply } from "./reply.ts";

/** Does this reply ask for anything beyond its text? (Most do not: a timeline line, a list.) */
export const hasFollowUp = (reply: Reply): boolean =>
  reply.file !== undefined || (reply.effects !== undefined && reply.effects.length > 0);

/**
 * What a successful reply asks for beyond its text, after it was answered: the draft file, the
 * incident's room, its card. Each step logs its own failure; one failing does not stop the others.
 */
export async function followUp(
  ctx: EngineContext,
  reply: Reply,
  origin: Origin,
  incident: Incident | undefined,
): Promise<void> {
  const key = origin.eventId ? `reply-${origin.eventId}` : undefined;
  const steps: Promise<void>[] = [];
  if (reply.file) {
    const file = reply.file;
    steps.push(step(ctx, "draft delivery", () => deliverDraft(ctx, file, origin, incident, key)));
  }
  for (const effect of reply.effects ?? []) {
    if (effect.kind === "incident-declared") {
      steps.push(
        step(ctx, "incident room", () =>
          declared(ctx, effect.incident, effect.createRoom, { origin }),
        ),
      );
    } else if (effect.kind === "incident-renamed") {
      steps.push(step(ctx, "room rename", () => renamed(ctx, effect.incident)));
    } else if (effect.kind === "export-actions") {
      steps.push(step(ctx, "tracker export", () => exported(ctx, effect, origin)));
    } else if (effect.kind === "incident-update") {
      steps.push(step(ctx, "status update", () => statusUpdate(ctx, effect.incident, effect.text)));
    } else {
      steps.push(step(ctx, "card refresh", () => refreshCard(ctx, effect.incident.id)));
    }
  }
  await Promise.all(steps);
}

/** The export's outcome, said where the command was typed; the card then shows the links. */
async function exported(
  ctx: EngineContext,
  job: { incidentId: number; numbers: number[] },
  origin: Origin,
): Promise<void> {
  if (!ctx.exportActions) return;
  const line = await ctx.exportActions(job);
  await ctx.surface.post(origin.room, { text: line }, { visibility: "channel", user: origin.user });
  await refreshCard(ctx, job.incidentId, false);
}
