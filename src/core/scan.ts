import { distance } from "fastest-levenshtein";
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
    while (i < raw.length && !/\s/.test(raw[i]!)) {
      i++;
      // --at="2023-02-23 10:00": a quoted option value after "=" holds its spaces too.
      const quote = raw[i - 1] === "=" && /^[-—–]/.test(raw[start]!) ? CLOSING[raw[i]!] : undefined;
      const end = quote === undefined ? -1 : raw.indexOf(quote, i + 1);
      if (end !== -1 && (end + 1 === raw.length || /\s/.test(raw[end + 1]!))) i = end + 1;
    }
    tokens.push({ start, end: i, value: raw.slice(start, i) });
  }
  return tokens;
}

/**
 * Pulls the command's own options out of free text. Options may stand anywhere; unknown
 * `--words`, quotes and everything else stay verbatim in `text`. No argument-parsing library
 * keeps the untouched remainder of a chat message, which is why this is hand-written.
 *
 * - `—sev 2`, `–at 10:00`: phones and editors turn `--` into an em or en dash; such a dash
 *   directly before one of the command's own option names is read as `--`.
 * - `--severity`, `--owners`, `-sev`: a near miss of an option is refused with "did you mean",
 *   never filed as text (see `nearMiss`).
 * - `--` ends the options and is cut out where it stands first or right before something that
 *   would be read as an option (`deploy -- --sev is text`); anywhere else it is a dash in prose
 *   ("failover -- took 3 min --sev 2" keeps its dash and still reads --sev).
 */
export function scanOptions(raw: string, specs: Record<string, OptionSpec>): Scanned {
  // Every token starts the text or follows whitespace, and only a token starting with a dash can
  // be an option or `--`: without one, nothing is cut (most timeline lines; npm run bench).
  if (!MAY_HOLD_OPTION.test(raw)) return { options: {}, text: raw.trim() };
  const tokens = tokenize(raw);
  const options: Record<string, string | true> = {};
  const cuts: [number, number][] = [];
  const read = (token: Token) => readOption(raw.slice(token.start, token.end), specs);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const plain = raw.slice(token.start, token.end);
    if (plain === "--") {
      const next = tokens[i + 1];
      if (i === 0 || (next !== undefined && read(next) !== undefined)) {
        cuts.push([token.start, token.end]);
        break;
      }
      continue;
    }
    const found = read(token);
    if (found === undefined) continue;
    if (found.kind === "near") {
      const guesses = found.guesses.map((g) => `--${g}`).join(" or ");
      throw new UserError(
        `unknown option ${plain.split("=")[0]}: did you mean ${guesses}? (to keep it as text, put -- before it)`,
      );
    }
    const { name, value } = found;
    const spec = specs[name]!;
    if (Object.hasOwn(options, name)) throw new UserError(`--${name} is given twice`);
    let end = token.end;
    if (!spec.takesValue) {
      if (value !== undefined) throw new UserError(`--${name} takes no value`);
      options[name] = true;
    } else if (value !== undefined) {
      options[name] = unquote(value);
    } else {
      const next = tokens[i + 1];
      const nextPlain = next ? raw.slice(next.start, next.end) : "";
      if (!next || nextPlain.startsWith("--") || read(next) !== undefined) {
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

type Read =
  | { kind: "option"; name: string; value: string | undefined }
  | { kind: "near"; guesses: string[] };

// `--name`, `--name=value`, and the dash forms people end up typing: `—name`, `–name`, `-name`.
const MAY_HOLD_OPTION = /(?:^|\s)[-—–]/;
const OPTION_LIKE = /^(--|—|–|-)([A-Za-z][\w-]*)(?:=([\s\S]*))?$/;

/** What an unquoted token is to this command: one of its options, a near miss of one, or text. */
function readOption(plain: string, specs: Record<string, OptionSpec>): Read | undefined {
  const match = OPTION_LIKE.exec(plain);
  if (!match) return undefined;
  const dash = match[1]!;
  const word = match[2]!.toLowerCase();
  const single = dash === "-";
  if (!single && Object.hasOwn(specs, word)) return { kind: "option", name: word, value: match[3] };
  const guesses = Object.keys(specs).filter((name) => nearMiss(word, name, single));
  return guesses.length > 0 ? { kind: "near", guesses } : undefined;
}

/**
 * Is `word` (typed after a dash) a near miss of the option `name`? Lenient enough to catch what
 * people type (`--severity`, `--owners`, `--s`, `--tempalte`, `-sev`), strict enough that text
 * stays text: `--delete`, `--verbose`, `-v`, `-la` and other commands' flags are far from every
 * option name, and after a single dash one letter (`-v`), or two that are no option's name
 * (`-la`), is a shell flag, not a typo.
 */
export function nearMiss(word: string, name: string, singleDash: boolean): boolean {
  if (singleDash && word.length < 2) return false;
  if (word === name) return true;
  // --severity, --owners, --sev2: the option name and more (too loose for a two-letter name).
  if (name.length >= 3 && word.startsWith(name)) return true;
  // --s, --temp: an abbreviation (with one dash only from three letters on: -la is ls's).
  if (name.startsWith(word) && (!singleDash || word.length >= 3)) return true;
  if (word.length < 3) return false;
  return distance(word, name) <= (name.length >= 5 ? 2 : 1) || swapped(word, name);
}

/** Two neighbouring letters swapped (`sve` for `sev`), the typo edit distance counts as two. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
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
