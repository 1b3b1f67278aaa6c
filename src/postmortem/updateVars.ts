import type { DraftUpdate } from "../incidents/draftData.ts";
import { escapeInline, escapeOneLine } from "./escape.ts";

/** The `updates` template variable: each status update as posted, oldest first, escaped. */
export function updateVars(updates: readonly DraftUpdate[] = []) {
  return updates.map((u) => {
    const at = new Date(u.at).toISOString();
    const time = at.slice(11, 16);
    const text = escapeInline(u.text);
    const author = escapeOneLine(u.author);
    return {
      at,
      date: at.slice(0, 10),
      time,
      text,
      author,
      markdown: `- ${at.slice(0, 10)} ${time} ${text} (${author})`,
    };
  });
}
