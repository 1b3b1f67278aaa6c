/**
 * Limits so one message cannot bloat the database or the draft. They belong to the domain, not
 * to the command parser: a tagged message (`impact: …`) stands for a command and obeys the same.
 */
export const MAX_TEXT = 4000;
export const MAX_TITLE = 200;

/**
 * Why `text` cannot be stored as `what`, or undefined when it can. The one rule behind every
 * command's text and every tagged message, so a tag can never store what its command refuses.
 */
export function textProblem(text: string, what: string, max = MAX_TEXT): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return `${what} is missing`;
  // Control characters (other than newline and tab) are never meant; they break logs and Markdown.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed)) {
    return `${what} contains control characters`;
  }
  if (trimmed.length > max)
    return `${what} is too long (${trimmed.length} characters, at most ${max})`;
  return undefined;
}
