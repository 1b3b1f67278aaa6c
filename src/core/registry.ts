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

/** A word that is nearly a group name (`/incidnet`), for "did you mean". */
export function suggestGroup(word: string): Group | undefined {
  const best = closest(word.toLowerCase(), [...GROUPS]) as Group;
  return distance(best, word.toLowerCase()) <= 2 ? best : undefined;
}

export function isGroup(word: string): word is Group {
  return (GROUPS as readonly string[]).includes(word.toLowerCase());
}
