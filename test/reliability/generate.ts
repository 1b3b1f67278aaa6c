import type { Random } from "./support.ts";

/** Valid lines of every command (and tagged messages), the seeds the mutator starts from. */
export const VALID: readonly string[] = [
  "/incident start Downtime --sev 2",
  '/incident start "Cert errors on OBS" --at "2023-02-23 10:00 UTC"',
  "/incident declare Login broken --sev 1 --at -2h",
  "/incident status",
  "/incident status identified",
  "/incident INC-1 status monitoring",
  "/incident sev 3",
  "/incident role commander @alice",
  "/incident role scribe <@U123ABC>",
  "/incident resolve --at 12:30 fixed by rollback",
  "/incident list --all",
  "/incident help",
  "/timeline add 10:05 proxy down",
  "/timeline add -15m first alert fired",
  '/timeline add "2023-02-23 10:05 CET" deploy started',
  "/timeline add 2026-03-02T11:00:00+01:00 users see 502 **bold** `code` <b>x</b>",
  "/timeline add 23:59:59 Europe/Berlin late",
  "/timeline INC-1 add noticed it -- --sev is text here",
  "/timeline list",
  "/timeline edit 2 10:07 proxy really down",
  "/timeline edit 2 new text only",
  "/timeline edit 2 10:08",
  "/timeline remove 3",
  "/action add fix the thing --owner @bob --due 2026-04-01",
  "/action done 1",
  "/action undo 1",
  "/action list",
  "/action remove 1",
  "/action edit 1 --owner @carol --due +3d",
  "/action edit 1 sharper wording --owner none --due tomorrow",
  "/postmortem set impact users saw 502s for 20 minutes",
  "/postmortem add lessons check certificates before they expire",
  "/postmortem add went-well paging worked",
  "/postmortem set summary ---\nlayout: evil\n---",
  "/postmortem draft",
  "/postmortem draft --template default",
  "/postmortem show",
  "/postmortem show lessons",
  "/postmortem remove lessons 1",
  "/incident rename Proxy down for everyone",
  "!incident status",
  "!timeline add 10:10 from matrix",
  "/help",
  "impact: users saw errors",
  "root cause: expired certificate",
  "action: renew the cert",
  "todo: add monitoring",
  "timeline: restarted the proxy",
  "went well: fast rollback",
  "just a plain message",
];

/** Tokens that stress parsers: numbers out of range, broken quotes, odd times and zones. */
const NASTY: readonly string[] = [
  "--",
  "--sev",
  "--at",
  "--owner",
  "--due",
  "--template",
  "--all",
  "--help",
  "help",
  '"',
  "'",
  '"unterminated',
  "“curly”",
  "\\",
  "INC-0",
  "INC-99999999999999999999",
  "#1",
  "#-1",
  "0",
  "-1",
  "5",
  "99999999999999999999",
  "1e309",
  "NaN",
  "Infinity",
  "0x1F",
  "25:61",
  "24:00",
  "00:00:60",
  "2023-02-30 10:00",
  "2023-02-29T10:00:00Z",
  "9999-12-31T23:59:59Z",
  "-99999999h",
  "-0m",
  "+99:99",
  "Europe/Nowhere",
  "CEST",
  "2026-03-29 02:30 Europe/Berlin",
  "2026-13-45",
  "@",
  "<@>",
  "{{ incident.title }}",
  "{% raw %}",
  "---",
  "# heading",
  "<script>",
  "🔥",
  "👩‍👩‍👧‍👦",
  "\u202e",
  "\u200b",
  "\ud800",
  "\udfff",
  "\u0000",
  "\r",
  "\u2028",
  "\t",
  "ℌ𝔦𝔫𝔡𝔰𝔦𝔤𝔥𝔱",
  "Ǆ",
  "İ",
  "ß",
];

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat("\x7f");

/** A random code point from anywhere, lone surrogates and unassigned planes included. */
function anyChar(random: Random): string {
  const roll = random.next();
  if (roll < 0.4) return String.fromCharCode(random.int(0x20, 0x7e));
  if (roll < 0.55) return random.pick(CONTROL);
  if (roll < 0.7) return String.fromCharCode(random.int(0xd800, 0xdfff));
  if (roll < 0.85) return String.fromCodePoint(random.int(0x80, 0xffff));
  return String.fromCodePoint(random.int(0x10000, 0x10ffff));
}

function randomText(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += anyChar(random);
  return out;
}

function mutate(random: Random, line: string): string {
  let tokens = line.split(" ");
  const edits = random.int(1, 4);
  for (let e = 0; e < edits; e++) {
    const at = random.int(0, Math.max(0, tokens.length - 1));
    switch (random.int(0, 7)) {
      case 0:
        tokens.splice(at, 1);
        break;
      case 1:
        tokens.splice(at, 0, random.pick(NASTY));
        break;
      case 2:
        tokens[at] = random.pick(NASTY);
        break;
      case 3:
        tokens.splice(at, 0, tokens[at] ?? "");
        break;
      case 4: {
        const other = random.int(0, tokens.length - 1);
        [tokens[at], tokens[other]] = [tokens[other]!, tokens[at]!];
        break;
      }
      case 5: {
        const word = tokens[at] ?? "";
        const pos = random.int(0, word.length);
        tokens[at] = word.slice(0, pos) + anyChar(random) + word.slice(pos + 1);
        break;
      }
      case 6:
        tokens = tokens.slice(0, random.int(1, tokens.length));
        break;
      default:
        tokens[at] = (tokens[at] ?? "").toUpperCase();
    }
  }
  return tokens.join(random.chance(0.9) ? " " : random.pick(["  ", "\t", "\n", " \u00a0"]));
}

/** One generated line; the mix leans to mutated commands, where the interesting bugs are. */
export function generateLine(random: Random): { kind: string; text: string } {
  const roll = random.next();
  if (roll < 0.55) return { kind: "mutated", text: mutate(random, random.pick(VALID)) };
  if (roll < 0.65) return { kind: "valid", text: random.pick(VALID) };
  if (roll < 0.8) {
    const prefix = random.pick([
      "/",
      "!",
      "/incident ",
      "/timeline add ",
      "/action ",
      "/postmortem ",
    ]);
    return { kind: "random", text: prefix + randomText(random, random.int(0, 40)) };
  }
  if (roll < 0.9)
    return { kind: "unicode", text: mutate(random, random.pick(VALID)) + randomText(random, 20) };
  if (roll < 0.96)
    return {
      kind: "empty",
      text: random.pick(["", " ", "/", "!", "\n", "/ ", "!!", "//", "/\u0000", " /timeline"]),
    };
  if (roll < 0.998) {
    return { kind: "control", text: random.pick(VALID).replace(/ /g, () => random.pick(CONTROL)) };
  }
  // Huge: 10 kB to 300 kB of text after a valid command, or a huge run of one character.
  const size = random.int(10_000, 300_000);
  const body = random.chance(0.5) ? "x".repeat(size) : randomText(random, size / 10).repeat(10);
  return {
    kind: "huge",
    text: `${random.pick(["/timeline add ", "/incident start ", "/postmortem add impact ", "/action add ", "impact: ", ""])}${body}`,
  };
}
