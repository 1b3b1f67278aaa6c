/** Slack's mention token, as commands store what was typed: `<@U123|alice>` or `<@U123>`. */
const MENTION = /<@([A-Z0-9]+)(?:\|([^>]+))?>/g;

/**
 * Mention tokens (`<@U123|alice>`, as parseUser reads them) as the plain `@alice` a published
 * document wants; a mention without a name keeps its id (`@U123`).
 */
export function mentionsAsNames(text: string): string {
  // Most text has no mention; skip the regex for it (drafts run this over every timeline entry).
  if (!text.includes("<@")) return text;
  return text.replace(MENTION, (_m, id: string, name?: string) => `@${name ?? id}`);
}
