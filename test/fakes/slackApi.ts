import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call as the fake received it (form or JSON body, decoded). */
export interface FakeCall {
  method: string;
  args: Record<string, string>;
  /** set once the fake has sent its answer */
  answered: boolean;
  /** what the fake answered (a posted message's ts, say) */
  answer?: Record<string, unknown>;
}

export interface FakeUser {
  name: string;
  tz: string;
}

export interface HistoryMessage {
  type: "message";
  user?: string;
  bot_id?: string;
  subtype?: string;
  text: string;
  ts: string;
  /** set by Slack on a message edited after it was posted */
  edited?: { user: string; ts: string };
}

type Answer = Record<string, unknown>;

/**
 * Slack's Web API on loopback, reached through the SDK's `slackApiUrl` (as
 * matrix-appservice-slack's tests do). It records every call, plays a tiny workspace (channels,
 * users, history, uploads) and can hold, rate-limit or fail a method. A method it does not know is
 * recorded in `unexpected`, which tests assert empty: nothing leaves the machine unnoticed.
 */
export async function startFakeSlack() {
  const calls: FakeCall[] = [];
  const unexpected: string[] = [];
  const users = new Map<string, FakeUser>();
  const takenNames = new Set<string>();
  const channels = new Map<string, string>();
  /** what conversations.list shows of each channel (created by conversations.create, or a test) */
  const channelInfo = new Map<
    string,
    { name: string; creator: string; purpose: string; archived?: boolean; created?: number }
  >();
  /** per channel, in any order: the fake answers newest first, as Slack does */
  const history = new Map<string, HistoryMessage[]>();
  const uploads = new Map<string, { filename: string; content: string }>();
  const responses: { path: string; body: unknown }[] = [];
  const holds = new Map<string, Promise<void>>();
  const rateLimits = new Map<string, number>();
  const failures = new Map<string, { error: string; left: number }>();
  /** channels the bot is not a member of: posting, uploading or reading there fails */
  const outsideOf = new Set<string>();
  /** who is in each channel the bot created (other channels' members are not tracked) */
  const members = new Map<string, Set<string>>();
  const listeners = new Set<() => void>();
  let counter = 0;
  let failedResponses = 0;
  let responsesWaiting = 0;
  let responseHold: Promise<void> | undefined;
  let socketUrl: string | undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      unexpected.push(`fake failed: ${String(error)}`);
      res.writeHead(500).end();
    });
  });
  // Like a real server, keep an idle connection open far longer than Node's 5 s default: a
  // client that leaves one behind must not be kept alive by it.
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", origin).pathname;
    if (path.startsWith("/upload/")) {
      const file = uploads.get(path.slice("/upload/".length));
      if (!file) return json(res, 404, { ok: false });
      file.content = await uploadedText(req, raw);
      return json(res, 200, { ok: true });
    }
    if (path.startsWith("/response/")) {
      responsesWaiting++;
      notify();
      await responseHold;
      responsesWaiting--;
      if (failedResponses > 0) {
        failedResponses--;
        // As Slack answers a response_url it no longer takes (used five times, or 30 min old).
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("expired_url");
        return;
      }
      responses.push({ path, body: JSON.parse(raw) });
      notify();
      return json(res, 200, { ok: true });
    }
    if (!path.startsWith("/api/")) {
      unexpected.push(`${req.method} ${path}`);
      return json(res, 404, { ok: false, error: "unknown_path" });
    }
    const method = path.slice("/api/".length);
    const call: FakeCall = { method, args: decode(req, raw), answered: false };
    calls.push(call);
    notify();
    await holds.get(method);
    const retryAfter = rateLimits.get(method);
    if (retryAfter !== undefined) {
      rateLimits.delete(method);
      res.writeHead(429, { "retry-after": String(retryAfter), "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
    } else {
      const failure = failures.get(method);
      if (failure && --failure.left === 0) failures.delete(method);
      const outside = outsideOf.has(call.args.channel ?? call.args.channel_id ?? "");
      const answer = failure
        ? { ok: false, error: failure.error }
        : outside && method !== "conversations.join"
          ? { ok: false, error: "not_in_channel" }
          : answerFor(call);
      if (answer === undefined) unexpected.push(method);
      else call.answer = answer;
      json(res, answer === undefined ? 404 : 200, answer ?? { ok: false, error: "unknown_method" });
    }
    call.answered = true;
    notify();
  }

  function answerFor({ method, args }: FakeCall): Answer | undefined {
    const ts = () => `${1_700_000_000 + ++counter}.000100`;
    switch (method) {
      case "auth.test":
        return { ok: true, team_id: "T1", team: "Test", user_id: "UBOT", bot_id: "BBOT" };
      case "apps.connections.open":
        return socketUrl ? { ok: true, url: socketUrl } : undefined;
      case "conversations.create": {
        const name = args.name ?? "";
        if (takenNames.has(name)) return { ok: false, error: "name_taken" };
        takenNames.add(name);
        const id = `C${100 + ++counter}`;
        channels.set(name, id);
        channelInfo.set(id, { name, creator: "UBOT", purpose: "" });
        members.set(id, new Set(["UBOT"]));
        return { ok: true, channel: { id, name, creator: "UBOT" } };
      }
      case "conversations.setPurpose": {
        const info = channelInfo.get(args.channel ?? "");
        if (!info) return { ok: false, error: "channel_not_found" };
        // Slack cuts a purpose at 250 characters
        info.purpose = (args.purpose ?? "").slice(0, 250);
        return { ok: true, channel: { id: args.channel, purpose: { value: info.purpose } } };
      }
      case "conversations.list": {
        // As Slack: pages of `limit` (at most 1000) with an opaque cursor, "" after the last page.
        const wanted = (args.types ?? "public_channel").split(",");
        if (!wanted.includes("public_channel")) return { ok: true, channels: [] };
        const all = [...channelInfo].filter(
          ([, c]) =>
            !(c.archived && (args.exclude_archived === "true" || args.exclude_archived === "1")),
        );
        const limit = Math.min(Number(args.limit ?? 100), 1000);
        const start = args.cursor ? Number(Buffer.from(args.cursor, "base64").toString()) : 0;
        if (!Number.isInteger(start)) return { ok: false, error: "invalid_cursor" };
        const end = start + limit;
        return {
          ok: true,
          channels: all.slice(start, end).map(([id, c]) => ({
            id,
            name: c.name,
            creator: c.creator,
            // seconds, as Slack gives it
            created: c.created ?? Math.floor(Date.now() / 1000),
            is_archived: c.archived === true,
            purpose: { value: c.purpose, creator: c.purpose ? c.creator : "", last_set: 0 },
          })),
          response_metadata: {
            next_cursor: end < all.length ? Buffer.from(String(end)).toString("base64") : "",
          },
        };
      }
      case "conversations.setTopic":
        return { ok: true, channel: { id: args.channel, topic: { value: args.topic } } };
      case "conversations.rename": {
        const name = args.name ?? "";
        if (takenNames.has(name)) return { ok: false, error: "name_taken" };
        takenNames.add(name);
        channels.set(name, args.channel ?? "");
        const info = channelInfo.get(args.channel ?? "");
        if (info) info.name = name;
        return { ok: true, channel: { id: args.channel, name } };
      }
      case "conversations.invite": {
        // As Slack: inviting the bot itself, or someone already in, is an error, not a no-op
        const invited = (args.users ?? "").split(",");
        if (invited.includes("UBOT")) return { ok: false, error: "cant_invite_self" };
        const inChannel = members.get(args.channel ?? "");
        if (invited.some((u) => inChannel?.has(u)))
          return { ok: false, error: "already_in_channel" };
        for (const u of invited) inChannel?.add(u);
        return { ok: true, channel: { id: args.channel } };
      }
      case "conversations.join":
        outsideOf.delete(args.channel ?? "");
        return { ok: true, channel: { id: args.channel } };
      case "chat.update":
      case "pins.add":
        return { ok: true, channel: args.channel, ts: args.ts };
      case "chat.postMessage":
        // As Slack: text beyond 40 000 characters is refused, not cut
        if ((args.text ?? "").length > 40_000) return { ok: false, error: "msg_too_long" };
        return { ok: true, channel: args.channel, ts: ts() };
      case "chat.postEphemeral":
        return { ok: true, message_ts: ts() };
      case "users.info": {
        const user = users.get(args.user ?? "");
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: args.user,
            name: user.name,
            tz: user.tz,
            profile: { display_name: user.name },
          },
        };
      }
      case "conversations.history": {
        // As Slack: newest first; `oldest`/`latest` bound the range, exclusive unless `inclusive`.
        const inclusive = args.inclusive === "true" || args.inclusive === "1";
        const after = (ts: string, bound: string | undefined) =>
          bound === undefined || (inclusive ? ts >= bound : ts > bound);
        const before = (ts: string, bound: string | undefined) =>
          bound === undefined || (inclusive ? ts <= bound : ts < bound);
        const all = (history.get(args.channel ?? "") ?? [])
          .filter((m) => after(m.ts, args.oldest) && before(m.ts, args.latest))
          .sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
        const start = Number(args.cursor ?? 0);
        const limit = Number(args.limit ?? 100);
        const next = start + limit < all.length ? String(start + limit) : "";
        return {
          ok: true,
          messages: all.slice(start, start + limit),
          has_more: next !== "",
          response_metadata: { next_cursor: next },
        };
      }
      case "files.getUploadURLExternal": {
        const id = `F${++counter}`;
        uploads.set(id, { filename: args.filename ?? "", content: "" });
        return { ok: true, upload_url: `${origin}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = JSON.parse(args.files ?? "[]") as { id: string }[];
        return {
          ok: true,
          files: files.map((f) => ({ id: f.id, name: uploads.get(f.id)?.filename })),
        };
      }
      default:
        return undefined;
    }
  }

  function notify(): void {
    for (const listener of listeners) listener();
  }

  /** Resolves when the predicate holds (checked after every call); the test timeout bounds it. */
  function until<T>(check: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const test = () => {
        const value = check();
        if (value === undefined) return;
        listeners.delete(test);
        resolve(value);
      };
      listeners.add(test);
      test();
    });
  }

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    unexpected,
    users,
    takenNames,
    channels,
    channelInfo,
    history,
    uploads,
    responses,
    /** where apps.connections.open sends the Socket Mode client */
    setSocketUrl(url: string) {
      socketUrl = url;
    },
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** The n-th call (1-based) to a method, once it has arrived. */
    waitForCall: (method: string, n = 1) =>
      until(() => calls.filter((c) => c.method === method)[n - 1]),
    until,
    /** Calls to this method wait unanswered until the returned function is called. */
    hold(method: string): () => void {
      let release = () => {};
      holds.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        holds.delete(method);
        release();
      };
    },
    /** The next call answers HTTP 429 with Retry-After (seconds). */
    rateLimitOnce(method: string, retryAfterSeconds: number) {
      rateLimits.set(method, retryAfterSeconds);
    },
    /** Posts to a response_url wait unanswered until the returned function is called. */
    holdResponses(): () => void {
      let release = () => {};
      responseHold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        responseHold = undefined;
        release();
      };
    },
    /** How many response_url posts are waiting on `holdResponses` now. */
    responsesWaiting: () => responsesWaiting,
    /** The next `times` posts to a response_url are refused (404 expired_url). */
    refuseResponses(times = 1) {
      failedResponses = times;
    },
    /** The next call (or the next `times` calls) answers ok:false with this error. */
    failOnce(method: string, error: string, times = 1) {
      failures.set(method, { error, left: times });
    },
    outsideOf,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The file's own text: the SDK posts it as multipart form data (or as the bare body). */
async function uploadedText(req: IncomingMessage, raw: string): Promise<string> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) return raw;
  const form = await new Response(raw, { headers: { "content-type": type } }).formData();
  for (const value of form.values()) if (typeof value !== "string") return value.text();
  return raw;
}

function decode(req: IncomingMessage, raw: string): Record<string, string> {
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    const parsed = JSON.parse(raw || "{}") as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
