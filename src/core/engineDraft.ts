import type { Incident } from "../incidents/types.ts";
import type { EngineContext, Origin } from "./engineContext.ts";
import type { ReplyFile } from "./reply.ts";
import type { Inline } from "./surface.ts";

/**
 * `/postmortem draft`: the Markdown as a file where it was asked for. Typed where the bot is no
 * member (a private channel, a DM), the upload fails: the file then goes to the incident's own
 * room and the caller is told where. When uploads fail altogether (scope missing, files off),
 * the same Markdown goes out as text in pieces the platform accepts. The success reply went out
 * already, so when nothing works the caller hears why.
 */
export async function deliverDraft(
  ctx: EngineContext,
  file: ReplyFile,
  origin: Origin,
  incident: Incident | undefined,
  key?: string,
): Promise<void> {
  const { surface } = ctx;
  const said = `${surface.label} said`;
  const here = await surface.upload(origin.room, file, key);
  if (here.ok) return;
  const own = incident && ctx.bot.roomsOf(incident.id, surface.platform)[0];
  if (own && own !== origin.room) {
    const there = await surface.upload(own, file, key && `${key}-own`);
    if (there.ok) {
      await tell(ctx, origin, [
        `Could not post the draft here (${said}: ${here.reason}); it is in `,
        { room: own },
        ".",
      ]);
      return;
    }
  }
  const text = await surface.postText(origin.room, file, key);
  if (text.ok) return;
  ctx.log.warn({ room: origin.room, reason: text.reason }, "draft could not be posted as text");
  await tell(ctx, origin, [
    `The draft could not be delivered (${said}: ${here.reason}, then ${text.reason}). Invite the bot to this ${surface.roomNoun}`,
    ...(own ? [", or run it in ", { room: own }] : []),
    ".",
  ]);
}

/** A notice only the caller sees, where the platform can. */
async function tell(ctx: EngineContext, origin: Origin, text: Inline[]): Promise<void> {
  try {
    await ctx.surface.post(
      origin.room,
      { text },
      {
        visibility: "caller",
        user: origin.user,
        via: origin.via,
        ...(origin.eventId ? { inReplyTo: origin.eventId } : {}),
      },
    );
  } catch (error) {
    ctx.log.warn({ err: error, room: origin.room }, "could not tell the caller");
  }
}
