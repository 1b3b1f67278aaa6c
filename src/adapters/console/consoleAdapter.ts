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

/** A typed line the bot refused, by its number in the input (from 1, blank lines counted). */
export interface RefusedLine {
  line: number;
  text: string;
}

/**
 * The terminal front end: every line is a command or a message in the current room. Starting an
 * incident moves into its room, as a chat client would after the bot invites you.
 */
export class ConsoleAdapter implements Adapter {
  readonly name = "console";
  #room = LOBBY;
  #rl: Interface | undefined;
  #done: Promise<void> | undefined;
  #lines = 0;
  /** set by a Ctrl-C: a second one in a row quits */
  #interrupted = false;
  readonly #refused: RefusedLine[] = [];
  readonly #o: ConsoleOptions;

  constructor(options: ConsoleOptions) {
    this.#o = options;
  }

  /** The lines refused so far: a piped script exits 1 naming them. */
  get refused(): readonly RefusedLine[] {
    return this.#refused;
  }

  /** How many lines were read, blank ones included. */
  get lineCount(): number {
    return this.#lines;
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
      this.#rl.on("SIGINT", () => this.#interrupt());
      // Quitting leaves the cursor after the prompt; what follows (the last log line) starts afresh.
      this.#rl.on("close", () => output.write("\n"));
    }
    this.#done = (async () => {
      for await (const line of this.#rl!) {
        this.#interrupted = false;
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
    const number = ++this.#lines;
    if (line.trim() === "") return;
    const join = JOIN.exec(line);
    if (join) {
      if (!this.#join(Number(join[1]))) this.#refused.push({ line: number, text: line });
      return;
    }
    const result = this.#o.bot.handle({
      platform: "console",
      actor: {
        id: this.#o.user,
        name: this.#o.user,
        // The terminal knows only the OS account: never a name for a post-mortem.
        osAccount: true,
        ...(this.#o.timezone ? { timezone: this.#o.timezone } : {}),
      },
      room: this.#room,
      text: line,
      eventId: `console-${randomUUID()}`,
      time: this.#o.clock.now(),
    });
    if (result.kind === "user-error" || result.kind === "internal-error")
      this.#refused.push({ line: number, text: line });
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

  #join(id: number): boolean {
    const incident = this.#o.bot.repos.incidents.get(id);
    if (!incident) {
      this.#print(`error: INC-${id} does not exist`);
      return false;
    }
    const rooms = this.#o.bot.repos.incidents.rooms(id).filter((r) => r.platform === "console");
    if (rooms.length === 0) {
      this.#o.bot.bindRoom(id, "console", `inc-${id}`);
      this.#room = `inc-${id}`;
    } else {
      this.#room = rooms[0]!.roomId;
    }
    this.#print(`(you are now in the room of INC-${id}: ${incident.title})`);
    return true;
  }

  #prompt(): void {
    const incident = this.#o.bot.incidentForRoom("console", this.#room);
    // Given to readline rather than written past it, so its redraws (Ctrl-U, Ctrl-C) keep it.
    this.#rl!.setPrompt(incident ? `INC-${incident.id}> ` : "hindsight> ");
    this.#rl!.prompt();
  }

  /**
   * Ctrl-C as shells have it: the half-typed line is abandoned and a fresh prompt shown; only a
   * second Ctrl-C in a row (or Ctrl-D) quits. Readline would otherwise close at the first one.
   */
  #interrupt(): void {
    const rl = this.#rl!;
    if (this.#interrupted) {
      rl.close();
      return;
    }
    this.#interrupted = true;
    this.#o.output.write("^C\n(Ctrl-C again or Ctrl-D to quit)\n");
    // Ctrl-E, Ctrl-U: empty readline's buffer; its redraw writes the prompt on the new line.
    rl.write(null, { ctrl: true, name: "e" });
    rl.write(null, { ctrl: true, name: "u" });
  }

  #print(text: string): void {
    this.#o.output.write(`${text}\n`);
  }
}
