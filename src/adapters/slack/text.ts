import type { Reply } from "../../core/reply.ts";

/**
 * Slack's wire rules for message text: `&`, `<` and `>` are control characters (mentions, links)
 * and must be sent as `&amp;`, `&lt;`, `&gt;`. Nothing else is escaped.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeSlack(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A neutral reply as Slack mrkdwn: an optional bold title line, then the escaped text. */
export function renderReply(reply: Pick<Reply, "title" | "text">): string {
  const body = escapeSlack(reply.text);
  return reply.title ? `*${escapeSlack(reply.title)}*\n${body}` : body;
}

/**
 * Text as the person typed it. Slack sends `&amp;`/`&lt;`/`&gt;` for what was typed, and turns
 * typed links, channel names, user groups and dates into `<…>` markup; user mentions
 * (`<@U123|alice>`) stay as they are, because the core reads them as users
 * (`/incident role commander @alice`).
 */
export function fromSlackText(
  text: string,
  names?: (userId: string) => string | undefined,
): string {
  // Every rule below starts at a `<` or an entity: text with neither is as typed (most is).
  if (!text.includes("<") && !text.includes("&")) return text;
  return (
    text
      .replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) =>
        !label || url.endsWith(label) || url.endsWith(`${label}/`)
          ? (label ?? url)
          : `${label} (${url})`,
      )
      // <#C123|ops> → #ops; Slack may leave the name out (<#C123>, <#C123|>): the id is all there is.
      .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
      .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, "@$1")
      // Other special mentions show their label: <!subteam^S1|@oncall> → @oncall,
      // <!date^1677146700^{time}|10:05 AM> → 10:05 AM; without one, the group id or the keyword.
      .replace(/<!([^|>]*)(?:\|([^>]*))?>/g, (_m, target: string, label?: string) => {
        if (label) return label;
        const [kind, id] = target.split("^");
        return kind === "subteam" && id ? `@${id}` : `@${kind}`;
      })
      .replace(/<@([A-Z0-9]+)>/g, (m, id: string) => {
        const name = names?.(id);
        return name ? `<@${id}|${name}>` : m;
      })
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
  );
}

/** Slack `ts` ("1677146705.123456", seconds) → ms since the epoch. */
export function tsToMs(ts: string): number {
  return Math.round(Number.parseFloat(ts) * 1000);
}

/** The collector's id for a Slack message: a reaction names its message by channel and ts. */
export function messageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/**
 * Markdown in pieces of whole lines, for code-block messages: Slack truncates long messages, and
 * a post-mortem is easier to copy in pieces of a few thousand characters. The pieces are the
 * document's own text (a line longer than `size` is cut); nothing is escaped or inserted.
 */
export function markdownChunks(markdown: string, size = 3000): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let length = 0;
  for (const line of markdown.split("\n")) {
    // A single overlong line is cut hard; everything else breaks between lines.
    const pieces =
      line.length <= size ? [line] : (line.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? []);
    for (const piece of pieces) {
      if (lines.length > 0 && length + piece.length + 1 > size) {
        chunks.push(lines.join("\n"));
        lines = [];
        length = 0;
      }
      lines.push(piece);
      length += piece.length + 1;
    }
  }
  if (lines.length > 0) chunks.push(lines.join("\n"));
  return chunks;
}
