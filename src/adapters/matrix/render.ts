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

/**
 * A Matrix event, signatures and all, may not exceed 65 536 bytes of JSON (the server answers
 * M_TOO_LARGE). An inline part carries its text twice (plain, and escaped HTML that can grow up
 * to 5×), so each part's content is kept to this many bytes, leaving room for the envelope.
 */
const PART_BYTES = 56_000;
/** At most this many parts: a draft longer than that is cut, and the last part says so. */
const MAX_PARTS = 4;

const jsonBytes = (s: string) => Buffer.byteLength(JSON.stringify(s), "utf8");

/**
 * The draft inline, for when the upload fails: Markdown in code blocks, escaped, split by lines
 * into as many notices as needed to stay under the event size limit (an over-long line is cut
 * into pieces). Beyond MAX_PARTS the rest is left out with a note.
 */
export function renderInlineFile(name: string, content: string): NoticeContent[] {
  const lines = content.split("\n").flatMap((line) => splitLine(line, PART_BYTES / 8));
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const cost = jsonBytes(`${line}\n`) + jsonBytes(`${escapeHtml(line)}\n`);
    if (current.length > 0 && size + cost > PART_BYTES) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += cost;
  }
  parts.push(current);
  const kept = parts.slice(0, MAX_PARTS);
  const cut = parts.length > kept.length;
  return kept.map((part, i) => {
    const label = kept.length > 1 ? `${name} (${i + 1}/${kept.length})` : name;
    const note = cut && i === kept.length - 1 ? "\n… (truncated: too long to post inline)" : "";
    const text = `${part.join("\n")}${note}`;
    return {
      msgtype: "m.notice",
      body: `${label}\n\n${text}`,
      format: "org.matrix.custom.html",
      formatted_body: `<p>${escapeHtml(label)}</p><pre><code class="language-markdown">${escapeHtml(text)}</code></pre>`,
    };
  });
}

/** Pieces of a line, each at most `chars` characters (a single huge line must still fit). */
function splitLine(line: string, chars: number): string[] {
  if (line.length <= chars) return [line];
  // By code point, so an emoji is never cut in half.
  const points = [...line];
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += chars) pieces.push(points.slice(i, i + chars).join(""));
  return pieces;
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
