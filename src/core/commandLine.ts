import { UserError } from "../errors.ts";
import { type Command, GROUPS, type Group, usageOf } from "./command.ts";
import { commandHelp, groupHelp, overviewHelp, unknownTopic } from "./help.ts";
import { isGroup, type Registry, suggestCommand } from "./registry.ts";
import type { Reply } from "./reply.ts";
import { takeWord } from "./scan.ts";

/** Parsed command words of a line, before anything touches the database. */
export type Parsed =
  | { kind: "help"; reply: Reply }
  | { kind: "command"; command: Command; ref: number | undefined; rest: string };

const INCIDENT_REF = /^(?:INC-?(\d+)|#(\d+))$/i;

/**
 * The words of `/word rest…` (`word` lowercased): help, a command with its incident reference
 * and the rest of the line, or a UserError for a word that is no command (answered, never
 * collected as chat: `/pm draft` meant /postmortem draft).
 */
export function parseCommandLine(registry: Registry, word: string, text: string): Parsed {
  if (word === "help") return { kind: "help", reply: helpAbout(registry, text) };
  if (isGroup(word)) return parseWords(registry, word, text);
  const guess = suggestCommand(registry, word, takeWord(text).word);
  const shown = `/${word.slice(0, 40)}`;
  if (guess === "help") throw new UserError(`unknown command ${shown}. Did you mean /help?`);
  if (guess === undefined) {
    throw new UserError(
      `unknown command ${shown}. The commands are ${GROUPS.map((g) => `/${g}`).join(", ")}; try /help`,
      `/${GROUPS.join("|/")} <command> …`,
    );
  }
  const named = guess.command ? `${guess.group} ${guess.command.name}` : guess.group;
  throw new UserError(
    `unknown command ${shown}. Did you mean /${named}? Try /help`,
    guess.command ? usageOf(guess.command) : groupUsage(registry, guess.group),
  );
}

/** `/help`, `/help incident`, `/help incident start`; an unknown topic says so. */
function helpAbout(registry: Registry, text: string): Reply {
  const { word, rest } = takeWord(text);
  if (word === undefined) return overviewHelp(registry);
  const group = word.toLowerCase().replace(/^[/!]/, "");
  if (isGroup(group)) return groupTopic(registry, group, takeWord(rest).word);
  return unknownTopic(registry, undefined, word);
}

function groupTopic(registry: Registry, group: Group, about: string | undefined): Reply {
  if (about === undefined || about.toLowerCase() === "help") return groupHelp(registry, group);
  const command = registry.find(group, about);
  return command ? commandHelp(command) : unknownTopic(registry, group, about);
}

function parseWords(registry: Registry, group: Group, text: string): Parsed {
  let { word, rest } = takeWord(text);
  let ref = incidentRef(word);
  if (ref !== undefined) ({ word, rest } = takeWord(rest));
  if (word === undefined || word.toLowerCase() === "help") {
    return { kind: "help", reply: groupTopic(registry, group, takeWord(rest).word) };
  }
  const command = registry.find(group, word);
  if (!command) {
    const guess = registry.suggest(group, word);
    const hint = guess ? ` Did you mean /${group} ${guess.name}?` : "";
    throw new UserError(
      `unknown command /${group} ${word.slice(0, 40)}.${hint} Try /${group} help`,
      guess ? usageOf(guess) : groupUsage(registry, group),
    );
  }
  const next = takeWord(rest);
  if (/^(help|--help)$/i.test(next.word ?? "") && next.rest === "") {
    return { kind: "help", reply: commandHelp(command) };
  }
  if (ref === undefined && command.incident === "required" && namesIncident(command, next.word)) {
    ref = incidentRef(next.word);
    rest = next.rest;
  }
  return { kind: "command", command, ref, rest };
}

/**
 * A leading INC-7 or #7 right after the command words names the incident. Not for a command
 * whose first argument is a row number (`/timeline remove #2` is entry 2, `/action done #1`
 * item 1): that is read from its usage (`<n> …`), so help and parsing can never disagree.
 * Later in the line `#2` is always text ("customer escalated #2").
 */
function namesIncident(command: Command, word: string | undefined): boolean {
  if (word === undefined) return false;
  if (/^INC-?\d+$/i.test(word)) return true;
  return /^#\d+$/.test(word) && !/^<n\b/.test(command.usage);
}

function incidentRef(word: string | undefined): number | undefined {
  const match = word ? INCIDENT_REF.exec(word) : null;
  return match ? Number(match[1] ?? match[2]) : undefined;
}

function groupUsage(registry: Registry, group: Group): string {
  return `/${group} <${registry
    .inGroup(group)
    .map((c) => c.name)
    .join("|")}> …`;
}
