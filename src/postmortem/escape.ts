/**
 * Escaping of user text for the Markdown draft.
 *
 * Goal: whatever people type in chat, the drafted document keeps exactly its own sections, one
 * front-matter block and no live HTML or Liquid, while the text still reads as typed. Every
 * escape used here is invisible once the page is rendered: a backslash before ASCII
 * punctuation renders as the punctuation itself (CommonMark §2.4), and `&lt;` / `&#123;` render
 * as `<` / `{`.
 *
 * Hand-written on purpose: general markdown-escape libraries backslash every `-`, `.`, `_`, `*`,
 * `#` and `[` wherever it occurs, which changes timeline text and action items that we must keep
 * exactly as typed in the source file. Only a few constructs can change the document's block
 * structure, and they are all recognised at the start of a line, so that is the only place we
 * touch (plus `<` and Liquid delimiters, which are dangerous anywhere).
 */

/*
 * Line endings: CommonMark treats "\r\n", a lone "\r" and "\n" all as line endings, so a lone
 * "\r" could smuggle a heading onto a new line; normalise all of them to "\n" first.
 * Control characters (C0 except tab/newline, DEL, C1) are invisible and some tools choke on them.
 */
const LINE_ENDINGS = /\r\n?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;

/*
 * Anywhere in a line:
 * - `<` starts raw HTML (inline HTML, or an HTML block such as <script> or <!-- that swallows the
 *   following lines, headings included, until a blank line or the closing tag).
 * - `{{` and `{%` are Liquid: Jekyll runs Liquid over every post *before* Markdown, so
 *   `{% include x %}` or `{{ site.title }}` in a timeline entry would be executed (or fail the
 *   site build). `&#123;` renders as `{` but is not a Liquid delimiter.
 * - `{:` starts kramdown (Jekyll's default converter) extensions and attribute lists:
 *   `{::comment}` hides everything up to its end tag.
 */
const INLINE_DANGER = /<|\{\{|\{(?=[%:])/g;
const INLINE_REPLACEMENT: Record<string, string> = {
  "<": "&lt;",
  "{{": "&#123;&#123;",
  "{": "&#123;",
};

/*
 * At the start of a line indented by fewer than 4 columns (4 or more make an indented code
 * block or a paragraph continuation, where none of this is special):
 * - `#` ATX heading (kramdown does not insist on the space CommonMark needs, so any `#`);
 * - `>` block quote;
 * - `---` (thematic break, setext underline, front matter delimiter) and `===` (setext) as a
 *   prefix, a line of only `-` or `=` (a setext underline of any length), and a whole-line
 *   thematic break of `*` or `_` (also spaced, `_ _ _`). `***bold***` at a line start is left
 *   alone: escaping its first `*` would change the emphasis, and it cannot change the structure;
 * - ``` and ~~~ code fences, which would swallow the rest of the document when left open;
 * - list markers `-` `*` `+` and `1.` `1)` followed by a space or the line end;
 * - `[label]:` link reference definitions and `[^1]:` footnotes, which make the line vanish.
 * The first character is backslash-escaped, except for ordered lists where a backslash before a
 * digit is literal text, so the `.` or `)` after the digits is escaped instead.
 */
const BLOCK_START =
  /^(?:#|>|---|===|([-*_])(?:[ \t]*\1){2,}[ \t]*$|-+[ \t]*$|=+[ \t]*$|```|~~~|[-*+](?:[ \t]|$)|\[[^\]]*\]:)/;
const BLOCK_START_CHARS = "#>-*_=`~+[";
const ORDERED_LIST = /^\d{1,9}(?=[.)](?:[ \t]|$))/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_CLEANING = /[\x00-\x08\x0A-\x1F\x7F-\x9F]/;

/** Normalises line endings and removes control characters; the first step of every escape. */
export function cleanText(text: string): string {
  return text.replace(LINE_ENDINGS, "\n").replace(CONTROL_CHARS, "");
}

/**
 * Escapes one line (no "\n"). `column` is where the line will start in the output, so that tab
 * stops (every 4 columns) are measured as a Markdown parser will measure them, and `baseColumn`
 * where the enclosing block's content starts (2 inside a `- ` list item).
 */
function escapeLine(line: string, column = 0, baseColumn = 0): string {
  let text = line;
  if (text.includes("<") || text.includes("{")) {
    text = text.replace(INLINE_DANGER, (match) => INLINE_REPLACEMENT[match] ?? match);
  }
  let start = 0;
  let col = column;
  while (start < text.length) {
    const ch = text.charCodeAt(start);
    if (ch === 32) col += 1;
    else if (ch === 9) col += 4 - (col % 4);
    else break;
    start++;
  }
  if (col - baseColumn >= 4 || start === text.length) return text;
  // Fast path (most lines): a line starting with a letter or other harmless character.
  const first = text[start]!;
  if (BLOCK_START_CHARS.includes(first)) {
    const rest = text.slice(start);
    if (BLOCK_START.test(rest)) return `${text.slice(0, start)}\\${rest}`;
  } else if (first >= "0" && first <= "9") {
    const ordered = ORDERED_LIST.exec(text.slice(start));
    if (ordered) {
      const at = start + ordered[0].length;
      return `${text.slice(0, at)}\\${text.slice(at)}`;
    }
  }
  return text;
}

/**
 * Escapes text that forms blocks of its own at the left margin (a paragraph item of a section):
 * lines and blank lines are kept as typed, each line escaped. Leading blank lines and trailing
 * whitespace are dropped so items join with exactly one blank line.
 */
export function escapeBlock(text: string): string {
  const lines = cleanText(text)
    .trimEnd()
    .replace(/^\s*\n/, "")
    .split("\n");
  lines[0] = lines[0]?.trimStart() ?? "";
  return lines.map((line) => escapeLine(line)).join("\n");
}

/**
 * Escapes text that goes after a list marker (`- `, `- 10:05 `, `- [ ] `) and must stay one list
 * item: blank lines are dropped (a blank line would end a tight list item or make the whole list
 * loose), and continuation lines are indented by two spaces, the content column of a `- ` item,
 * so that they stay inside the item (kramdown has no lazy continuation). Each line is escaped,
 * the first too: `- # x` is a heading inside a list item.
 */
export function escapeInline(text: string): string {
  // Fast path for the common one-line entry without control characters (a 100 000-entry timeline
  // is escaped entry by entry).
  if (!NEEDS_CLEANING.test(text)) return escapeLine(text.trim(), 2, 2);
  const lines = cleanText(text)
    .split("\n")
    .filter((line) => line.trim() !== "");
  if (lines.length === 1) return escapeLine((lines[0] ?? "").trim(), 2, 2);
  return lines
    .map((line, i) => (i === 0 ? escapeLine(line.trim(), 2, 2) : `  ${escapeLine(line, 2, 2)}`))
    .join("\n");
}

/** One line of text for prose (a title inside a sentence): every line break becomes a space. */
export function escapeOneLine(text: string): string {
  return escapeInline(cleanText(text).replace(/\s*\n\s*/g, " "));
}

/*
 * Front matter is YAML. A double-quoted scalar is the only style in which any text is safe (plain
 * scalars break on `: `, `#`, leading `-`, `"`...); inside it only `\` and `"` need escaping.
 * Line breaks, tabs and control characters become spaces: a title is one line. YAML 1.1 (Ruby's
 * Psych, which Jekyll uses) also treats NEL, U+2028 and U+2029 as line breaks.
 * `<`, `{{`, `{%` and `{:` are written as YAML `\u` escapes: the parsed title is exactly as typed, but
 * the raw file holds no HTML tag or Liquid delimiter for a theme that forgets `| escape`, or a
 * tool that scans the file, to trip over.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const YAML_SPACE = /[\x00-\x1F\x7F-\x9F\u2028\u2029]+/g;

export function yamlQuote(text: string): string {
  const body = text
    .replace(YAML_SPACE, " ")
    .trim()
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/</g, "\\u003C")
    .replace(/\{(?=[{%:])/g, "\\u007B");
  return `"${body}"`;
}

/** A YAML scalar for simple config values (`category`): bare when plainly safe, else quoted. */
export function yamlScalar(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 _./-]*$/.test(text) && !text.endsWith(" ")
    ? text
    : yamlQuote(text);
}
