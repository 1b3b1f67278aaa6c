import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RespondArguments, SlashCommand } from "@slack/bolt";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answeringCommands } from "../../../src/adapters/slack/commands.ts";
import { verifyingListener } from "../../../src/adapters/slack/signature.ts";

/**
 * The HTTP receiver's path for our slash commands, in front of Bolt's: the same chain the adapter
 * builds (signature check, then answeringCommands, then Bolt), here with Bolt replaced by a
 * listener that says it was reached, so what goes where is visible.
 */
const SECRET = "answering-commands-secret";
let server: Server;
let url: string;
let handled: SlashCommand[];
let reachedBolt: string[];
let handle: (
  command: SlashCommand,
  ack: (answer?: RespondArguments) => Promise<void>,
) => Promise<void>;
const logged: string[] = [];

beforeEach(async () => {
  handled = [];
  reachedBolt = [];
  logged.length = 0;
  handle = async (command, ack) => {
    handled.push(command);
    await ack({ response_type: "in_channel", text: `ran ${command.command} ${command.text}` });
  };
  const log = pino({ level: "error" }, { write: (line: string) => logged.push(line) });
  server = createServer(
    verifyingListener({
      secret: SECRET,
      endpoints: ["/slack/events"],
      log,
      inner: answeringCommands({
        log,
        handle: (command, ack) => handle(command, ack),
        inner: (req, res) => {
          reachedBolt.push(req.url ?? "");
          res.writeHead(200, { "content-type": "text/plain" });
          res.end("bolt");
        },
      }),
    }),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.close();
  await once(server, "close");
});

function signed(body: string, contentType = "application/x-www-form-urlencoded") {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  return fetch(`${url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": ts,
      "x-slack-signature": signature,
    },
    body,
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("our slash commands are answered in front of Bolt's receiver", () => {
  it("a signed command of ours is handled and its ack is the JSON answer", async () => {
    const res = await signed(
      form({ command: "/timeline", text: "add 10:05 proxy down", user_id: "U1", team_id: "T1" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      response_type: "in_channel",
      text: "ran /timeline add 10:05 proxy down",
    });
    expect(handled.map((c) => [c.command, c.text, c.user_id, c.team_id])).toEqual([
      ["/timeline", "add 10:05 proxy down", "U1", "T1"],
    ]);
    expect(reachedBolt).toEqual([]);
  });

  it("an ack without an answer is an empty 200, as Bolt sends it", async () => {
    handle = async (_command, ack) => ack();
    const res = await signed(form({ command: "/incident", text: "status" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("another app's command, interactivity, JSON events and other paths go on to Bolt", async () => {
    await signed(form({ command: "/deploy", text: "now" }));
    await signed(form({ payload: JSON.stringify({ type: "block_actions" }) }));
    await signed(
      JSON.stringify({ type: "event_callback", command: "/incident" }),
      "application/json",
    );
    await fetch(`${url}/healthz`);
    expect(handled).toEqual([]);
    expect(reachedBolt).toEqual(["/slack/events", "/slack/events", "/slack/events", "/healthz"]);
  });

  it("an unsigned command never reaches the handler: the signature check comes first", async () => {
    const res = await fetch(`${url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ command: "/incident", text: "start Forged" }),
    });
    expect(res.status).toBe(401);
    expect(handled).toEqual([]);
    expect(reachedBolt).toEqual([]);
  });

  it("a body buffered by anything but the signature check never runs a command", async () => {
    // Another body parser in front (one that leaves `rawBody` as Bolt's does) proves nothing.
    const parsing = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        Object.assign(req, { rawBody: Buffer.concat(chunks) });
        answeringCommands({
          log: pino({ level: "silent" }),
          handle: (command, ack) => handle(command, ack),
          inner: (_req, inner) => {
            reachedBolt.push("unverified");
            inner.end("bolt");
          },
        })(req, res);
      });
    });
    parsing.listen(0, "127.0.0.1");
    await once(parsing, "listening");
    const res = await fetch(
      `http://127.0.0.1:${(parsing.address() as AddressInfo).port}/slack/events`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form({ command: "/incident", text: "start Forged" }),
      },
    );
    expect(await res.text()).toBe("bolt");
    parsing.close();
    expect(handled).toEqual([]);
    expect(reachedBolt).toEqual(["unverified"]);
  });

  it("a command that fails unforeseen gets a 500 and a logged error, and the server goes on", async () => {
    handle = async () => {
      throw new Error("disk on fire");
    };
    const res = await signed(form({ command: "/action", text: "list" }));
    expect(res.status).toBe(500);
    expect(logged.join("")).toContain("disk on fire");
    handle = async (command, ack) => ack({ text: `again ${command.text}` });
    expect(await (await signed(form({ command: "/action", text: "list" }))).json()).toEqual({
      text: "again list",
    });
  });

  it("a second ack of the same command is refused, the first answer stands", async () => {
    let second: unknown;
    handle = async (_command, ack) => {
      await ack({ text: "first" });
      second = await ack({ text: "second" }).catch((error: unknown) => error);
    };
    const res = await signed(form({ command: "/postmortem", text: "draft" }));
    expect(await res.json()).toEqual({ text: "first" });
    expect(String(second)).toContain("acknowledged once");
  });
});
