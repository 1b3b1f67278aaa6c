import { randomUUID } from "node:crypto";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Clock } from "../../clock.ts";
import type { Bot, HandleResult } from "../../core/bot.ts";
import { createEngine, type Engine, type ExportActions } from "../../core/engine.ts";
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
  /** files action items in the issue tracker (`/action export`), when one is set up */
  exportActions?: ExportActions | undefined;
}

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
      exportActions: options.exportActions,
    });
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
      const open = this.#o.bot.openIncidents();
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
        await this.handleLine(line);
        if (interactive) this.#prompt();
      }
    })();
  }

  /** A timer's line (reminder, tracker sync): printed, through the engine like every post. */
  postToIncidentRoom(
    incidentId: number,
    text: string,
    options?: { cardChanged?: boolean },
  ): Promise<void> {
    return this.#engine.postToIncidentRoom(incidentId, text, options);
  }

  /** An alert's incident: its room, card and announcement, printed like every post. */
  openIncident(incidentId: number, source: string): Promise<void> {
    return this.#engine.openIncident(incidentId, source);
  }

  async stop(): Promise<void> {
    this.#rl?.close();
  }

  /** One typed line, handled to completion, follow-up included. */
  async handleLine(line: string): Promise<void> {
    const number = ++this.#lines;
    if (line.trim() === "") return;
    const join = JOIN.exec(line);
    if (join) {
      if (!this.#join(Number(join[1]))) this.#refused.push({ line: number, text: line });
      return;
    }
    const user = this.#o.user;
    const invocation = {
      platform: "console" as const,
      actor: {
        id: user,
        name: user,
        // The terminal knows only the OS account: never a name for a post-mortem.
        osAccount: true,
        ...(this.#o.timezone ? { timezone: this.#o.timezone } : {}),
      },
      room: this.#room,
      text: line,
      eventId: `console-${randomUUID()}`,
      time: this.#o.clock.now(),
    };
    const { result, after } = this.#engine.receive({ kind: "said", invocation }, "live");
    if (!result) return;
    if (result.kind === "user-error" || result.kind === "internal-error")
      this.#refused.push({ line: number, text: line });
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

  #join(id: number): boolean {
    const incident = this.#o.bot.incident(id);
    if (!incident) {
      this.#print(`error: INC-${id} does not exist`);
      return false;
    }
    const [room] = this.#o.bot.roomsOf(id, "console");
    if (room === undefined) this.#o.bot.bindRoom(id, "console", roomOf(id));
    this.#room = room ?? roomOf(id);
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
