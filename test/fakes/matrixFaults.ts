import type { ServerResponse } from "node:http";

type Json = Record<string, unknown>;

/** An answer with a Matrix error body (`errcode`, `error`). */
export class HttpError extends Error {
  readonly status: number;
  readonly body: Json;
  constructor(status: number, errcode: string, error: string, extra: Json = {}) {
    super(error);
    this.status = status;
    this.body = { errcode, error, ...extra };
  }
}

/** The request was cut off by the client (a stall ended by its abort): there is no one to answer. */
export class Dropped extends Error {}

interface Fault {
  count: number;
  status: number;
  errcode: string;
  extra: Json;
}

/**
 * Trouble a test arms on the fake homeserver, per kind of request ("send", "upload", "messages",
 * "sync", "state"): error answers, rate limits, and requests that hang until the client gives up.
 */
export class Faults {
  readonly #faults = new Map<string, Fault>();
  readonly #stalls = new Map<string, { when: "before" | "after"; reached: () => void }>();
  /** how many requests were answered 429 M_LIMIT_EXCEEDED */
  limitedHits = 0;
  /** how many requests were answered with an error armed by `fail` */
  failedHits = 0;

  /** The next `count` requests of this kind get 429 M_LIMIT_EXCEEDED. */
  rateLimit(kind: string, count: number, retryAfterMs: number): void {
    const extra = { retry_after_ms: retryAfterMs };
    this.#faults.set(kind, { count, status: 429, errcode: "M_LIMIT_EXCEEDED", extra });
  }

  /** The next `count` requests of this kind are answered with this HTTP status. */
  fail(kind: string, count: number, status: number, errcode = "M_UNKNOWN"): void {
    this.#faults.set(kind, { count, status, errcode, extra: {} });
  }

  /**
   * The next request of this kind hangs until the client gives up on it (a crash, as far as the
   * client can tell): "before" it takes effect, or "after" (the server has it; the client never
   * hears). Resolves once the request is hanging.
   */
  stallNext(kind: string, when: "before" | "after"): Promise<void> {
    return new Promise((reached) => this.#stalls.set(kind, { when, reached }));
  }

  /** Throws the armed error for this kind of request, if any is left. */
  check(kind: string): void {
    const fault = this.#faults.get(kind);
    if (!fault || fault.count <= 0) return;
    fault.count -= 1;
    if (fault.status === 429) this.limitedHits += 1;
    else this.failedHits += 1;
    throw new HttpError(fault.status, fault.errcode, "injected failure", fault.extra);
  }

  /** Runs `act` unless a stall is armed for `kind`; a stalled request never gets an answer. */
  async stallable<T>(res: ServerResponse, kind: string, act: () => T): Promise<T> {
    const stall = this.#stalls.get(kind);
    if (!stall) return act();
    this.#stalls.delete(kind);
    if (stall.when === "after") act();
    stall.reached();
    await new Promise<void>((closed) => (res.destroyed ? closed() : res.once("close", closed)));
    throw new Dropped("the client gave up on the request");
  }
}
