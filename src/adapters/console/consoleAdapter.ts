import { randomUUID } from "node:crypto";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import type { Reply } from "../../core/reply.ts";
import type { Logger } from "../../logging.ts";
import type { Adapter } from "../adapter.ts";

export interface ConsoleOptions {
  bot: Bot;
  clock: Clock;
  log: Logger;
  input: Readable;
  output: Writable;
  /** true on a terminal: prompt and keep going; false: read to end of input, then stop */
  interactive: boolean;
  user: string;
  timezone?: string;
}

const LOBBY = "lobby";
const JOIN = /^\s*[/!](?:join|room)\s+(?:INC-?|#)?(\d+)\s*$/i;

/**
 * The terminal front end: every line is a command or a message in the current room. Starting an
 * incident moves into its room, as a chat client would after the bot invites you.
 */
export class ConsoleAdapter implements Adapter {
  readonly name = "console";
  #room = LOBBY;
  #rl: Interface | undefined;
  #done: Promise<void> | undefined;
  readonly #o: ConsoleOptions;

  constructor(options: ConsoleOptions) {
    this.#o = options;
  }

  /** Resolves when input ends (piped scripts) — the process can then exit 0. */
  get finished(): Promise<void> {
    return this.#done ?? Promise.resolve();
  }

  async start(): Promise<void> {
    const { input, output, interactive } = this.#o;
    this.#rl = createInterface({
      input,
      ...(interactive ? { output, prompt: "" } : {}),
      terminal: interactive,
    });
    if (interactive) {
      this.#print(
        "Hindsight in the terminal. Type /help for commands, /incident start <title> to declare an incident, Ctrl-D to quit.",
      );
      const open = this.#o.bot.repos.incidents.list({ all: false });
      if (open.length > 0)
        this.#print(
          `Open: ${open.map((i) => `INC-${i.id} ${i.title}`).join(", ")}. /join INC-${open[0]!.id} enters its room.`,
        );
      this.#prompt();
    }
    this.#done = (async () => {
      for await (const line of this.#rl!) {
        this.handleLine(line);
        if (interactive) this.#prompt();
      }
    })();
  }

  async stop(): Promise<void> {
    this.#rl?.close();
  }

  /** One typed line, handled to completion (the bot is synchronous). */
  handleLine(line: string): void {
    if (line.trim() === "") return;
    const join = JOIN.exec(line);
    if (join) {
      this.#join(Number(join[1]));
      return;
    }
    const result = this.#o.bot.handle({
      platform: "console",
      actor: {
        id: this.#o.user,
        name: this.#o.user,
        ...(this.#o.timezone ? { timezone: this.#o.timezone } : {}),
      },
      room: this.#room,
      text: line,
      eventId: `console-${randomUUID()}`,
      time: this.#o.clock.now(),
    });
    this.#show(result);
  }

  #show(result: HandleResult): void {
    switch (result.kind) {
      case "ok":
        this.#reply(result.reply);
        break;
      case "user-error":
      case "internal-error":
        this.#print(`error: ${result.reply.text}`);
        break;
      case "collected":
        if (result.applied) this.#print(`(filed under ${result.section ?? result.applied})`);
        if (result.reply) this.#print(`(${result.reply.text})`);
        break;
      case "ignored":
        this.#print(
          "(not in an incident's room: start one with /incident start <title>, or /join INC-n)",
        );
        break;
      case "duplicate":
        break;
    }
  }

  #reply(reply: Reply): void {
    if (reply.title) this.#print(reply.title);
    this.#print(reply.text);
    if (reply.file) {
      this.#print(`--- ${reply.file.name} ---`);
      this.#o.output.write(
        reply.file.content.endsWith("\n") ? reply.file.content : `${reply.file.content}\n`,
      );
      this.#print(`--- end of ${reply.file.name} ---`);
    }
    for (const effect of reply.effects ?? []) {
      // One terminal is the incident's room and the announce channel at once: printed once.
      if (effect.kind === "incident-update") this.#print(effect.text);
      if (effect.kind === "incident-declared") {
        if (effect.createRoom) {
          const room = `inc-${effect.incident.id}`;
          this.#o.bot.bindRoom(effect.incident.id, "console", room);
          this.#room = room;
        }
        this.#print(
          `(you are now in the room of INC-${effect.incident.id}; plain messages are collected)`,
        );
      }
    }
  }

  /** Reminders: one terminal, so every incident's reminder is printed here. */
  async postToIncidentRoom(_incidentId: number, text: string): Promise<void> {
    this.#print(`reminder: ${text}`);
  }

  #join(id: number): void {
    const incident = this.#o.bot.repos.incidents.get(id);
    if (!incident) {
      this.#print(`error: INC-${id} does not exist`);
      return;
    }
    const rooms = this.#o.bot.repos.incidents.rooms(id).filter((r) => r.platform === "console");
    if (rooms.length === 0) {
      this.#o.bot.bindRoom(id, "console", `inc-${id}`);
      this.#room = `inc-${id}`;
    } else {
      this.#room = rooms[0]!.roomId;
    }
    this.#print(`(you are now in the room of INC-${id}: ${incident.title})`);
  }

  #prompt(): void {
    const incident = this.#o.bot.incidentForRoom("console", this.#room);
    this.#o.output.write(incident ? `INC-${incident.id}> ` : "hindsight> ");
  }

  #print(text: string): void {
    this.#o.output.write(`${text}\n`);
  }
}
