import escapeHtml from "escape-html";
import type { Reply } from "../../core/reply.ts";

export interface NoticeContent {
  msgtype: "m.notice";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.relates_to"?: { "m.in_reply_to": { event_id: string } };
}

/**
 * A reply as an `m.notice` (bots speak in notices so other bots and clients know not to answer):
 * a plain `body` for clients without HTML, and an escaped HTML `formatted_body` — user text such as
 * an incident title is never interpreted as markup. Lines starting with "• " become a list.
 */
export function renderNotice(reply: Reply, inReplyTo?: string): NoticeContent {
  const body = reply.title ? `${reply.title}\n${reply.text}` : reply.text;
  const html: string[] = [];
  if (reply.title) html.push(`<strong>${escapeHtml(reply.title)}</strong>`);
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) html.push(`<ul>${list.map((i) => `<li>${i}</li>`).join("")}</ul>`);
    list = [];
  };
  const paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) html.push(paragraph.join("<br>"));
    paragraph.length = 0;
  };
  for (const line of reply.text.split("\n")) {
    if (line.startsWith("• ")) {
      flushParagraph();
      list.push(escapeHtml(line.slice(2)));
    } else {
      flush();
      paragraph.push(escapeHtml(line));
    }
  }
  flush();
  flushParagraph();
  return {
    msgtype: "m.notice",
    body,
    format: "org.matrix.custom.html",
    formatted_body: html.join("<br>"),
    ...(inReplyTo ? { "m.relates_to": { "m.in_reply_to": { event_id: inReplyTo } } } : {}),
  };
}

/** The draft inline, for when the upload fails: Markdown in a code block, escaped. */
export function renderInlineFile(name: string, content: string, limit = 60_000): NoticeContent {
  const cut = content.length > limit ? `${content.slice(0, limit)}\n… (truncated)` : content;
  return {
    msgtype: "m.notice",
    body: `${name}\n\n${cut}`,
    format: "org.matrix.custom.html",
    formatted_body: `<p>${escapeHtml(name)}</p><pre><code class="language-markdown">${escapeHtml(cut)}</code></pre>`,
  };
}

/** The plain text of a message body without the quoted fallback of a reply ("> <@a:b> …"). */
export function stripReplyFallback(body: string): string {
  const lines = body.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i += 1;
  if (i === 0) return body;
  if (lines[i] === "") i += 1;
  return lines.slice(i).join("\n");
}
