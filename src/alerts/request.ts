import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Far above any real alert group (Alertmanager's are a few KiB): a bigger body is refused. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** An oversized body is read and dropped up to here (so the sender sees the 413), then cut. */
const DRAIN_LIMIT = 16 * MAX_BODY_BYTES;

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Why the request's `Authorization: Bearer <token>` does not carry `token`, or undefined when
 * it does. Compared as digests of equal length, in constant time: the time taken says nothing
 * about how much of a guess was right.
 */
export function authProblem(req: IncomingMessage, token: string): string | undefined {
  const header = req.headers.authorization;
  if (!header) return "missing Authorization: Bearer <token> header";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return "the Authorization header must be Bearer <token>";
  return timingSafeEqual(digest(match[1]!), digest(token)) ? undefined : "wrong token";
}

export type Body = { ok: true; text: string } | { ok: false; status: 413 | 400; reason: string };

/** The request body as text, refused past `limit` bytes (a stated Content-Length is checked first). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Body> {
  const tooBig = {
    ok: false,
    status: 413,
    reason: `the body is larger than ${limit} bytes`,
  } as const;
  return new Promise((resolve) => {
    const stated = Number(req.headers["content-length"]);
    let over = Number.isFinite(stated) && stated > limit;
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        // Read and dropped so the sender gets its answer; past this, the connection is cut.
        if (size > DRAIN_LIMIT) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) return resolve(tooBig);
      const text = Buffer.concat(chunks).toString("utf8");
      resolve({ ok: true, text });
    });
    req.on("error", () => resolve({ ok: false, status: 400, reason: "the body was cut short" }));
    req.on("close", () => {
      if (!req.complete)
        resolve(over ? tooBig : { ok: false, status: 400, reason: "the body was cut short" });
    });
  });
}
