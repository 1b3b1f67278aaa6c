import { STATUS_CODES } from "node:http";

/**
 * A tracker call that failed, as one line for the room. `refused`: the tracker answered and did
 * not file anything (a 4xx, or no connection at all), so a pending item can go back to unexported.
 * Otherwise (a timeout, a 5xx, a connection cut mid-answer) the issue may exist: the item stays
 * pending and the next export looks it up before filing again.
 */
export class TrackerError extends Error {
  override readonly name = "TrackerError";
  readonly refused: boolean;
  readonly status: number | undefined;
  /** when the tracker's rate limit lets us try again (ms since the epoch), if it said */
  readonly retryAt: number | undefined;

  constructor(
    message: string,
    options: { refused: boolean; status?: number; retryAt?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.refused = options.refused;
    this.status = options.status;
    this.retryAt = options.retryAt;
  }
}

/** A failed HTTP answer, whichever client received it. */
export interface HttpFailure {
  status: number;
  statusText?: string;
  /** lower-case names */
  headers: Record<string, string | undefined>;
  /** the parsed JSON body, or its text */
  body: unknown;
}

/** The one line for an HTTP error answer, with the tracker's own reason where it gave one. */
export function httpError(name: string, failure: HttpFailure, now: number): TrackerError {
  const { status } = failure;
  const retryAt = rateLimitEnd(failure, now);
  const limited = status === 429 || (status === 403 && retryAt !== undefined);
  if (limited) {
    const wait =
      retryAt === undefined
        ? "try again later"
        : `try again in ${Math.max(1, Math.ceil((retryAt - now) / 1000))} s`;
    return new TrackerError(`${name} rate limit reached (${status}): ${wait}; nothing changed`, {
      refused: true,
      status,
      ...(retryAt === undefined ? {} : { retryAt }),
    });
  }
  const reason =
    reasonOf(failure.body) || failure.statusText || STATUS_CODES[status] || "no reason given";
  if (status >= 500)
    return new TrackerError(`${name} failed: ${status} ${reason}`, { refused: false, status });
  return new TrackerError(`${name} refused: ${status} ${reason}; nothing changed`, {
    refused: true,
    status,
  });
}

/** A call that got no answer: the caller's timeout, or no connection. */
export function transportError(
  name: string,
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
): TrackerError {
  if (timedOut)
    return new TrackerError(`${name} did not answer within ${Math.round(timeoutMs / 1000)} s`, {
      refused: false,
      cause: error,
    });
  const code = errorCode(error);
  // Refused or unknown host: the request never reached the tracker.
  const neverSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
  return new TrackerError(
    `${name} cannot be reached: ${code ?? (error instanceof Error ? error.message : String(error))}`,
    { refused: neverSent, cause: error },
  );
}

/**
 * GitHub: `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (epoch seconds), or `retry-after`
 * (seconds) for its secondary limits. GitLab: `retry-after`, `ratelimit-reset` (epoch seconds).
 * Jira: `retry-after` (seconds), `x-ratelimit-reset` (an ISO time).
 */
function rateLimitEnd({ headers }: HttpFailure, now: number): number | undefined {
  const after = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(after)) return now + after * 1000;
  if (headers["x-ratelimit-remaining"] === "0" || headers["ratelimit-remaining"] === "0") {
    const reset = headers["x-ratelimit-reset"] ?? headers["ratelimit-reset"];
    if (reset === undefined) return undefined;
    const seconds = Number(reset);
    const at = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(reset);
    return Number.isFinite(at) ? at : undefined;
  }
  return undefined;
}

/** GitHub `{message}`, GitLab `{message}` or `{error}` (a string or field → messages), Jira `{errorMessages, errors}`. */
function reasonOf(body: unknown): string {
  // An HTML page (a proxy's 502) says nothing a person in the room needs: the status text does.
  if (typeof body === "string")
    return body.trimStart().startsWith("<") ? "" : body.trim().split("\n")[0]!.slice(0, 200);
  if (typeof body !== "object" || body === null) return "";
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ["message", "error"]) {
    const v = b[key];
    if (typeof v === "string") parts.push(v);
    else if (typeof v === "object" && v !== null) parts.push(fieldMessages(v));
  }
  if (Array.isArray(b.errorMessages)) parts.push(...b.errorMessages.map(String));
  if (typeof b.errors === "object" && b.errors !== null) {
    // GitHub's 422 lists {resource, field, code}; Jira's maps field → message.
    if (Array.isArray(b.errors))
      parts.push(
        ...b.errors.map((e: Record<string, unknown>) =>
          typeof e.message === "string" ? e.message : [e.field, e.code].filter(Boolean).join(" "),
        ),
      );
    else parts.push(fieldMessages(b.errors));
  }
  return parts.filter(Boolean).join("; ").slice(0, 300);
}

function fieldMessages(v: object): string {
  return Object.entries(v)
    .map(([field, m]) => `${field} ${Array.isArray(m) ? m.join(", ") : String(m)}`)
    .join("; ");
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("E")) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
