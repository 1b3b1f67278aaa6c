import { UserError } from "../errors.ts";

export interface OptionSpec {
  /** true: takes a value (`--sev 2`, `--at "2023-02-23 10:00"`); false: a flag (`--all`) */
  takesValue: boolean;
  description: string;
  /** shown in usage: `--sev <1-4>` */
  placeholder?: string;
}

export interface Scanned {
  options: Record<string, string | true>;
  /** everything else, exactly as typed, with the option tokens cut out */
  text: string;
}

interface Token {
  start: number;
  end: number;
  /** the token with surrounding quotes removed */
  value: string;
}

// Typed quotes as Slack and phone keyboards send them: “…” and ‘…’ count like "…" and '…'.
const CLOSING: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "”": "”" };

/** Splits on whitespace, keeping quoted stretches together and remembering where each token was. */
export function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && /\s/.test(raw[i]!)) i++;
    if (i >= raw.length) break;
    const start = i;
    const close = CLOSING[raw[i]!];
    if (close !== undefined) {
      const end = raw.indexOf(close, i + 1);
      if (end !== -1 && (end + 1 === raw.length || /\s/.test(raw[end + 1]!))) {
        tokens.push({ start, end: end + 1, value: raw.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    while (i < raw.length && !/\s/.test(raw[i]!)) i++;
    tokens.push({ start, end: i, value: raw.slice(start, i) });
  }
  return tokens;
}

/**
 * Pulls the command's own options out of free text. Options may stand anywhere; `--` ends them;
 * unknown `--words`, quotes and everything else stay verbatim in `text`. No argument-parsing
 * library keeps the untouched remainder of a chat message, which is why this is hand-written.
 */
export function scanOptions(raw: string, specs: Record<string, OptionSpec>): Scanned {
  // A command without options has nothing to scan for: its text is kept whole, even a "--".
  if (Object.keys(specs).length === 0) return { options: {}, text: raw.trim() };
  const tokens = tokenize(raw);
  const options: Record<string, string | true> = {};
  const cuts: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const plain = raw.slice(token.start, token.end);
    if (plain === "--") {
      cuts.push([token.start, token.end]);
      break;
    }
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(plain);
    const name = match?.[1];
    if (!match || name === undefined || !Object.hasOwn(specs, name)) continue;
    const spec = specs[name]!;
    if (Object.hasOwn(options, name)) throw new UserError(`--${name} is given twice`);
    let end = token.end;
    if (!spec.takesValue) {
      if (match[2] !== undefined) throw new UserError(`--${name} takes no value`);
      options[name] = true;
    } else if (match[2] !== undefined) {
      options[name] = unquote(match[2]);
    } else {
      const next = tokens[i + 1];
      if (!next || raw.slice(next.start, next.end).startsWith("--")) {
        throw new UserError(
          `--${name} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ""}`,
        );
      }
      options[name] = next.value;
      end = next.end;
      i++;
    }
    cuts.push([token.start, end]);
  }
  return { options, text: cut(raw, cuts) };
}

function unquote(value: string): string {
  const close = CLOSING[value[0] ?? ""];
  return close !== undefined && value.length >= 2 && value.endsWith(close)
    ? value.slice(1, -1)
    : value;
}

/** Removes the spans and the whitespace that separated them, leaving the rest byte for byte. */
function cut(raw: string, spans: [number, number][]): string {
  if (spans.length === 0) return raw.trim();
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += raw.slice(from, start).replace(/[ \t]+$/, "");
    from = end;
    const rest = raw.slice(from);
    const skipped = rest.length - rest.replace(/^[ \t]+/, "").length;
    if (out.length > 0 && from + skipped < raw.length) out += " ";
    from += skipped;
  }
  out += raw.slice(from);
  return out.trim();
}

/** Takes the first whitespace-separated word; the rest keeps its exact spelling. */
export function takeWord(text: string): { word: string | undefined; rest: string } {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  if (!match) return { word: undefined, rest: "" };
  return { word: match[1], rest: match[2] ?? "" };
}
