import { randomUUID } from "node:crypto";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import { createEngine, type Engine } from "../../core/engine.ts";
import type { Logger } from "../../logging.ts";
import type { Adapter } from "../adapter.ts";
import { consoleSurface, LOBBY, roomOf } from "./consoleSurface.ts";

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
  readonly #engine: Engine;

  constructor(options: ConsoleOptions) {
    this.#o = options;
    const surface = consoleSurface({
      output: options.output,
      enter: (room) => {
        this.#room = room;
      },
    });
    this.#engine = createEngine({
      bot: options.bot,
      surface,
      clock: options.clock,
      log: options.log,
    });
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
      const open = this.#o.bot.openIncidents();
      if (open.length > 0)
        this.#print(
          `Open: ${open.map((i) => `INC-${i.id} ${i.title}`).join(", ")}. /join INC-${open[0]!.id} enters its room.`,
        );
      this.#prompt();
    }
    this.#done = (async () => {
      for await (const line of this.#rl!) {
        await this.handleLine(line);
        if (interactive) this.#prompt();
      }
    })();
  }

  async stop(): Promise<void> {
    this.#rl?.close();
  }

  /** One typed line, handled to completion, follow-up included. */
  async handleLine(line: string): Promise<void> {
    if (line.trim() === "") return;
    const join = JOIN.exec(line);
    if (join) {
      this.#join(Number(join[1]));
      return;
    }
    const user = this.#o.user;
    const invocation = {
      platform: "console" as const,
      actor: { id: user, name: user, ...(this.#o.timezone ? { timezone: this.#o.timezone } : {}) },
      room: this.#room,
      text: line,
      eventId: `console-${randomUUID()}`,
      time: this.#o.clock.now(),
    };
    const { result, after } = this.#engine.receive({ kind: "said", invocation }, "live");
    if (!result) return;
    const origin = { room: invocation.room, user, eventId: invocation.eventId };
    // Replies are printed here (an error says so); the engine does what comes after them.
    if (this.#show(result)) await this.#engine.followUp(result, origin);
    else await after?.();
  }

  /** Prints a command's answer; true when it was one (the follow-up is then the engine's). */
  #show(result: HandleResult): boolean {
    switch (result.kind) {
      case "ok":
        if (result.reply.title) this.#print(result.reply.title);
        this.#print(result.reply.text);
        return true;
      case "user-error":
      case "internal-error":
        this.#print(`error: ${result.reply.text}`);
        return true;
      case "ignored":
        this.#print(
          "(not in an incident's room: start one with /incident start <title>, or /join INC-n)",
        );
        return false;
      default:
        return false;
    }
  }

  #join(id: number): void {
    const incident = this.#o.bot.incident(id);
    if (!incident) {
      this.#print(`error: INC-${id} does not exist`);
      return;
    }
    const [room] = this.#o.bot.roomsOf(id, "console");
    if (room === undefined) this.#o.bot.bindRoom(id, "console", roomOf(id));
    this.#room = room ?? roomOf(id);
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
