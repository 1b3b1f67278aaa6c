import type { IncomingMessage, ServerResponse } from "node:http";
import type { Adapter } from "../adapters/adapter.ts";
import type { Bot } from "../core/bot.ts";
import { internalFailure } from "../core/failure.ts";
import type { Route } from "../http/routes.ts";
import type { AlertOutcome } from "../incidents/alerts.ts";
import { formatUtc } from "../incidents/time/format.ts";
import { ALERT_SOURCE_NAMES, type AlertSource } from "../incidents/types.ts";
import { type Logger, tellObserver } from "../logging.ts";
import { everyPlatform } from "../reminders/start.ts";
import { parseGroup } from "./payload.ts";
import { authProblem, readBody } from "./request.ts";
import { type AlertRules, decideWith } from "./rules.ts";

/** What the chat side of an alert needs: every platform opens the incident or posts the lines. */
export interface AlertChat {
  openIncident(incidentId: number, source: string): Promise<void>;
  postToIncidentRoom(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void>;
}

/** Counted per source (src/metrics.ts). */
export interface AlertObserver {
  received?(source: AlertSource, alerts: number): void;
  deduped?(source: AlertSource, alerts: number): void;
  declared?(source: AlertSource): void;
}

export interface AlertRoutesOptions {
  token: string;
  rules: AlertRules;
  bot: Bot;
  chat: AlertChat;
  log: Logger;
  observer?: AlertObserver;
}

/** Every front end as one AlertChat; one failing does not keep the others from it. */
export function everyPlatformChat(adapters: readonly Adapter[], log: Logger): AlertChat {
  const lines = everyPlatform(adapters, log);
  return {
    async openIncident(incidentId, source) {
      const results = await Promise.allSettled(
        adapters.map((a) => a.openIncident?.(incidentId, source)),
      );
      for (const r of results)
        if (r.status === "rejected")
          log.warn({ err: r.reason, incident: incidentId }, "incident not opened on one platform");
    },
    postToIncidentRoom: (incidentId, text, options) =>
      lines.postToIncidentRoom(incidentId, text, options),
  };
}

/**
 * At start: every open incident an alert declared is opened on each platform that has not opened
 * it yet (the process died between the commit and the chat side). Engines remember what they
 * opened, so this does nothing for the rest.
 */
export async function openAlertIncidents(bot: Bot, chat: AlertChat): Promise<void> {
  for (const incident of bot.openIncidents()) {
    const source = incident.platform as AlertSource;
    if (Object.hasOwn(ALERT_SOURCE_NAMES, source))
      await chat.openIncident(incident.id, ALERT_SOURCE_NAMES[source]);
  }
}

/**
 * Slack refuses a message over 40 000 characters and Matrix an event over 64 KiB: a big group's
 * lines go out in parts well under both, in order, the card refreshed after the last.
 */
export const PART_CHARS = 12_000;

async function postInParts(chat: AlertChat, incidentId: number, said: readonly string[]) {
  const parts: string[] = [];
  for (const line of said) {
    const last = parts.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= PART_CHARS)
      parts[parts.length - 1] = `${last}\n${line}`;
    else parts.push(line);
  }
  for (const [i, text] of parts.entries())
    await chat.postToIncidentRoom(incidentId, text, { cardChanged: i === parts.length - 1 });
}

function json(res: ServerResponse, status: number, body: object, headers: object = {}) {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * POST /alerts/alertmanager and /alerts/grafana. Checked in order: the token (401, before the body
 * is read), the size (413), the shape (400 with the reason); then the group is committed in one
 * transaction and answered at once (Alertmanager gives a webhook 10 s), and only then does the
 * chat side run: the new incident opened and announced on every platform, or the new alert lines
 * posted in its rooms.
 */
export function alertRoutes(o: AlertRoutesOptions): { routes: Route[]; idle(): Promise<void> } {
  const decide = decideWith(o.rules);
  const pending = new Set<Promise<void>>();
  const later = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) =>
      o.log.error({ err: error }, "alert follow-up failed"),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };

  async function handle(source: AlertSource, req: IncomingMessage, res: ServerResponse) {
    const refused = authProblem(req, o.token);
    if (refused) {
      req.resume();
      o.log.warn({ source, reason: refused }, "alert webhook refused");
      return json(res, 401, { error: refused }, { "www-authenticate": 'Bearer realm="hindsight"' });
    }
    const body = await readBody(req);
    if (!body.ok) return json(res, body.status, { error: body.reason });
    const parsed = parseGroup(source, body.text);
    if (!parsed.ok) {
      o.log.warn({ source, reason: parsed.reason }, "malformed alert webhook");
      return json(res, 400, { error: parsed.reason });
    }
    const { group } = parsed;
    tellObserver(o.log, () => o.observer?.received?.(source, group.alerts.length));
    let outcome: AlertOutcome;
    try {
      outcome = o.bot.receiveAlerts(group, decide);
    } catch (error) {
      const { ref } = internalFailure(error, o.log, { source }, "alert group not recorded");
      // A 5xx makes Alertmanager send the group again later.
      return json(res, 500, { error: `not recorded (ref ${ref})` });
    }
    if (outcome.duplicates > 0)
      tellObserver(o.log, () => o.observer?.deduped?.(source, outcome.duplicates));
    const context = { source, groupKey: group.groupKey, alerts: group.alerts.length };
    if (outcome.kind === "unmatched") {
      o.log.info(context, "alert group matched no rule and has no open incident: not recorded");
      return json(res, 200, { outcome: "unmatched", recorded: 0, duplicates: outcome.duplicates });
    }
    const { incident, lines } = outcome;
    const ref = `INC-${incident.id}`;
    const kind =
      outcome.kind === "added" && lines.length === 0 && !outcome.leftOut
        ? "unchanged"
        : outcome.kind;
    o.log.info(
      { ...context, incident: incident.id, recorded: lines.length },
      `alert group ${kind}`,
    );
    json(res, 200, {
      outcome: kind,
      incident: ref,
      recorded: lines.length,
      duplicates: outcome.duplicates,
    });
    const name = ALERT_SOURCE_NAMES[source];
    const say = (shown: readonly { at: number; text: string }[]) =>
      shown.map((l) => `🔔 ${name}: ${l.text} (${formatUtc(l.at)})`);
    if (outcome.kind === "declared") {
      tellObserver(o.log, () => o.observer?.declared?.(source));
      // The announcement and the card tell the opening; a note of alerts left out follows them.
      const { leftOut } = outcome;
      later(
        o.chat
          .openIncident(incident.id, name)
          .then(() => (leftOut ? postInParts(o.chat, incident.id, say([leftOut])) : undefined)),
      );
    } else if (lines.length > 0 || outcome.leftOut) {
      const shown = outcome.leftOut ? [...lines, outcome.leftOut] : lines;
      later(postInParts(o.chat, incident.id, say(shown)));
    }
  }

  const route = (source: AlertSource): Route => ({
    path: `/alerts/${source}`,
    method: "POST",
    handler(req, res) {
      handle(source, req, res).catch((error: unknown) => {
        internalFailure(error, o.log, { source }, "alert webhook failed");
        if (!res.headersSent) json(res, 500, { error: "internal error" });
      });
    },
  });
  return {
    routes: [route("alertmanager"), route("grafana")],
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
