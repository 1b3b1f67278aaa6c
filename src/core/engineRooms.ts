import type { Incident } from "../incidents/types.ts";
import { postCard, refreshCard, refreshCardNow, topicOf } from "./engineCard.ts";
import { type EngineContext, type Origin, step } from "./engineContext.ts";
import { backfill } from "./engineHistory.ts";

/**
 * Kept before a room is created, with the marker and where the incident was declared: after a
 * crash the room is looked up instead of made again, and `resumeRooms` finishes the opening.
 */
const INTENT = "room-intent:";
const intentKey = (incidentId: number) => `${INTENT}${incidentId}`;

interface Intent {
  marker: string;
  origin?: Origin;
  /** for an incident an alert declared: who, as the announcement names it */
  source?: string;
  /**
   * createRoom failed: the platform may have refused, or made the room and lost the answer
   * (a timeout, a 5xx). Kept, so a later attempt looks for the room first; not resumed at start.
   */
  failed?: boolean;
  /** when the first attempt began (ms): a room found by name must be younger */
  since?: number;
}

/** An intent as stored (earlier versions kept the bare marker); undefined when unreadable. */
function readIntent(value: string): Intent | undefined {
  if (!value.startsWith("{")) return { marker: value };
  try {
    return JSON.parse(value) as Intent;
  } catch {
    return undefined;
  }
}
const INSTALL_KEY = "install-id";

/**
 * A marker unique to this incident in this database (a second database on the same workspace
 * or homeserver numbers its incidents from 1 too).
 */
function markerFor(ctx: EngineContext, incident: Incident): string {
  const store = ctx.bot.store(ctx.surface.platform);
  let install = store.get(INSTALL_KEY);
  if (!install) {
    install = Math.random().toString(36).slice(2, 10);
    store.set(INSTALL_KEY, install);
  }
  return `hindsight-${install}-inc-${incident.id}`;
}

/**
 * The incident's own room: the one bound already, else the one a crashed earlier attempt
 * created (found by its marker), else a new one. Bound before anything else happens in it.
 * Without an origin (declared by an alert) nobody is invited and no pointer is posted.
 */
async function openRoom(
  ctx: EngineContext,
  incident: Incident,
  origin: Origin | undefined,
  source?: string,
): Promise<string> {
  const { bot, surface } = ctx;
  const store = bot.store(surface.platform);
  const marker = markerFor(ctx, incident);
  const earlier = store.get(intentKey(incident.id));
  const since = (earlier && readIntent(earlier)?.since) || ctx.clock.now();
  const found = earlier ? await surface.findRoom(marker, since) : undefined;
  let room = found;
  if (!room) {
    const intent: Intent = origin
      ? { marker, origin, since }
      : { marker, since, ...(source ? { source } : {}) };
    store.set(intentKey(incident.id), JSON.stringify(intent));
    try {
      room = await surface.createRoom({
        incident: { id: incident.id, title: incident.title },
        topic: topicOf(incident),
        invite: origin ? [origin.user] : [],
        marker,
        ...(origin ? { from: origin.room } : {}),
      });
    } catch (error) {
      // Perhaps made all the same: the next attempt (an alert's at start, a replay) looks first.
      // Not resumed at start: the room notice has told people, and retrying would repeat it.
      store.set(intentKey(incident.id), JSON.stringify({ ...intent, failed: true }));
      throw error;
    }
  }
  bot.bindRoom(incident.id, surface.platform, room);
  store.delete(intentKey(incident.id));
  if (!origin) return room;
  // A room found again after a crash may never have had its invitation sent.
  if (found) await step(ctx, "invite", () => surface.invite(found, origin.user));
  // A pointer in the room the command was typed in; losing it must not stop the rest.
  await step(ctx, "pointer to the incident room", () =>
    surface.post(
      origin.room,
      {
        text: [
          `INC-${incident.id} has its own ${surface.roomNoun}: `,
          { room, name: `INC-${incident.id}: ${incident.title}` },
        ],
      },
      { visibility: "channel", user: origin.user, via: origin.via, key: `pointer-${incident.id}` },
    ),
  );
  return room;
}

/** Who declared it, as the announcement names them: a chat user, or the alert source by name. */
export type Declarer = { origin: Origin } | { source: string };

async function announce(
  ctx: EngineContext,
  incident: Incident,
  room: string | undefined,
  by: Declarer,
) {
  const target = await ctx.surface.announceRoom();
  if (!target) return;
  const sev = incident.severity === null ? "" : ` (SEV${incident.severity})`;
  const name = `INC-${incident.id}: ${incident.title}`;
  await ctx.surface.post(
    target,
    {
      text: [
        `🚨 INC-${incident.id} declared${sev}: ${incident.title} by `,
        "origin" in by ? { user: by.origin.user } : by.source,
        ...(room ? [". Follow it in ", { room, name }, "."] : ["."]),
        // Nobody typed the command: someone has to pick it up.
        ...("source" in by ? [" No commander yet: /incident role commander me"] : []),
      ],
    },
    { visibility: "channel", key: `announce-${incident.id}` },
  );
}

/**
 * After `incident-declared`: a room of its own (or the current one when creation is off), the
 * pinned card, the announcement, and for a room that existed before, its history. An incident an
 * alert declared has no current room: with creation off it is only announced. May run twice for
 * one incident (a replay after a crash): every step is safe to repeat.
 */
export function declared(
  ctx: EngineContext,
  incident: Incident,
  createRoom: boolean,
  by: Declarer,
): Promise<void> {
  return ctx.serial(String(incident.id), () => declaredNow(ctx, incident, createRoom, by));
}

/** Kept once an incident declared without a command was opened on this platform. */
const openedKey = (incidentId: number) => `opened:${incidentId}`;

/**
 * An incident declared without a chat command (an alert), opened on this platform once: the
 * alert's own follow-up and the one at start (after a crash before it ran) may both ask.
 */
export function openedByAlert(ctx: EngineContext, incident: Incident, source: string) {
  return ctx.serial(String(incident.id), async () => {
    const store = ctx.bot.store(ctx.surface.platform);
    if (store.get(openedKey(incident.id))) return;
    const createRoom = ctx.bot.createRooms;
    await declaredNow(ctx, incident, createRoom, { source });
    // A room that could not be created (the platform was down) is tried again at the next start.
    if (!createRoom || ctx.bot.roomsOf(incident.id, ctx.surface.platform).length > 0)
      store.set(openedKey(incident.id), String(ctx.clock.now()));
  });
}

async function declaredNow(
  ctx: EngineContext,
  incident: Incident,
  createRoom: boolean,
  by: Declarer,
): Promise<void> {
  const { bot, surface } = ctx;
  const origin = "origin" in by ? by.origin : undefined;
  let room: string | undefined = bot.roomsOf(incident.id, surface.platform)[0];
  if (!room && createRoom) {
    try {
      room = await openRoom(ctx, incident, origin, "source" in by ? by.source : undefined);
    } catch (error) {
      ctx.log.error({ err: error, incident: incident.id }, "could not create the room");
      if (!origin) return step(ctx, "announcement", () => announce(ctx, incident, room, by));
      await surface.post(
        origin.room,
        {
          text: `INC-${incident.id} is declared, but its ${surface.roomNoun} could not be created. Commands work here with INC-${incident.id} after the command words.`,
        },
        { visibility: "channel", key: `no-room-${incident.id}`, via: origin.via },
      );
      return;
    }
  }
  room ??= origin?.room;
  const fresh = room !== undefined && (await postCard(ctx, incident, room));
  await step(ctx, "announcement", () => announce(ctx, incident, room, by));
  // A room that existed before (creation off) has history worth collecting.
  if (!fresh || createRoom || !room) return;
  const done = await backfill(ctx, room, "history");
  ctx.log.info({ room, incident: incident.id, stored: done.stored }, "backfilled room history");
  if (done.actions) await refreshCardNow(ctx, incident.id, false);
}

/**
 * At start: room openings a crash cut short (the intent is still there, no room is bound) are
 * finished: the room the crashed attempt made is found by its marker and bound, or made now, and
 * it gets its card and announcement. On Slack nothing else would ever redo them: the command was
 * answered before its follow-up began.
 */
export async function resumeRooms(ctx: EngineContext): Promise<void> {
  const store = ctx.bot.store(ctx.surface.platform);
  for (const { key, value } of store.entries(INTENT)) {
    const id = Number(key.slice(INTENT.length));
    const incident = Number.isInteger(id) ? ctx.bot.incident(id) : undefined;
    const intent = readIntent(value);
    const bound = incident ? ctx.bot.roomsOf(id, ctx.surface.platform).length > 0 : false;
    if (!incident || !intent || bound || incident.status === "resolved") {
      store.delete(key);
      continue;
    }
    const { origin, source, failed } = intent;
    if (failed || !(origin || source)) continue;
    ctx.log.info({ incident: id }, "finishing a room opening cut short by a restart");
    if (origin) await declared(ctx, incident, true, { origin });
    else if (source) await openedByAlert(ctx, incident, source);
  }
}

/** After `incident-renamed`: every room of the incident on this platform follows the title. */
export async function renamed(ctx: EngineContext, incident: Incident): Promise<void> {
  for (const room of ctx.bot.roomsOf(incident.id, ctx.surface.platform)) {
    await step(ctx, "room rename", () =>
      ctx.surface.rename(room, { id: incident.id, title: incident.title }),
    );
  }
  await refreshCard(ctx, incident.id, false);
}
