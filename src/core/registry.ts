import { closest, distance } from "fastest-levenshtein";
import { type Command, GROUPS, type Group } from "./command.ts";

export interface Registry {
  commands: readonly Command[];
  find(group: Group, word: string): Command | undefined;
  inGroup(group: Group): Command[];
  /** the nearest command name in a group, if the typo is small */
  suggest(group: Group, word: string): Command | undefined;
}

/** Builds the lookup table; a name or alias used twice in a group is a programming error. */
export function createRegistry(commands: readonly Command[]): Registry {
  const table = new Map<string, Command>();
  for (const command of commands) {
    for (const word of [command.name, ...command.aliases]) {
      const key = `${command.group} ${word}`;
      if (table.has(key)) throw new Error(`duplicate command: /${key}`);
      table.set(key, command);
    }
  }
  return {
    commands,
    find: (group, word) => table.get(`${group} ${word.toLowerCase()}`),
    inGroup: (group) => commands.filter((c) => c.group === group),
    suggest(group, word) {
      const words = [...table.keys()]
        .filter((k) => k.startsWith(`${group} `))
        .map((k) => k.slice(group.length + 1));
      if (words.length === 0) return undefined;
      const best = closest(word.toLowerCase(), words);
      return distance(best, word.toLowerCase()) <= 2 ? table.get(`${group} ${best}`) : undefined;
    },
  };
}

/**
 * What an unknown `/word next …` most likely meant: a group (`/incidnet`, `/inc`, `/pm`), made a
 * whole command by the next word where it names one (`/pm draft` → /postmortem draft, `/foo
 * start` → /incident start), or `/help`. Undefined when nothing is close: a guess from nothing
 * would only mislead.
 */
export function suggestCommand(
  registry: Registry,
  word: string,
  next: string | undefined,
): { group: Group; command?: Command } | "help" | undefined {
  const typed = word.toLowerCase();
  const score = (group: Group) => groupScore(typed, group);
  const byScore = (a: Group, b: Group) => score(a) - score(b);
  const having = next ? GROUPS.filter((g) => registry.find(g, next)) : [];
  const [first] = [...having].sort(byScore);
  if (first && (having.length === 1 || Number.isFinite(score(first)))) {
    return { group: first, command: registry.find(first, next!)! };
  }
  const [group] = GROUPS.filter((g) => Number.isFinite(score(g))).sort(byScore);
  if (group) {
    const command = next ? registry.suggest(group, next) : undefined;
    return command ? { group, command } : { group };
  }
  return distance(typed, "help") <= 2 ? "help" : undefined;
}

/** Lower is closer; Infinity: not this group. */
function groupScore(word: string, group: Group): number {
  if (word.length >= 2 && group.startsWith(word)) return 0;
  const d = distance(word, group);
  if (d <= 2) return d;
  // Initials and contractions: pm, tl, pmortem.
  if (word.length >= 2 && word[0] === group[0] && isSubsequence(word, group)) return 3;
  return Number.POSITIVE_INFINITY;
}

function isSubsequence(word: string, of: string): boolean {
  let at = 0;
  for (const c of word) {
    at = of.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

export function isGroup(word: string): word is Group {
  return (GROUPS as readonly string[]).includes(word.toLowerCase());
}
