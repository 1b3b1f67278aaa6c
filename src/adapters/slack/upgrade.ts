import type { Bot } from "../../core/bot.ts";

/**
 * Before the engine, Slack kept one card per incident under `slack:summary:<id>` as
 * `{ channel, ts }`; the engine keeps one per room. Open incidents' cards are moved over so
 * they keep following changes after an upgrade.
 */
export function adoptOldCards(bot: Bot): void {
  const store = bot.store("slack");
  for (const incident of bot.openIncidents()) {
    const old = store.get(`summary:${incident.id}`);
    if (!old) continue;
    try {
      const { channel, ts } = JSON.parse(old) as { channel: string; ts: string };
      store.set(`summary-card:${incident.id}:${channel}`, ts);
    } catch {
      // unreadable: the card is simply no longer edited
    }
    store.delete(`summary:${incident.id}`);
  }
}
