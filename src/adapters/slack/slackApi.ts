import type { App } from "@slack/bolt";

export type WebClient = App["client"];

/** The `error` string of a Slack Web API platform error ("name_taken"), if that is what it is. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data: unknown }).data;
  if (typeof data !== "object" || data === null || !("error" in data)) return undefined;
  const code = (data as { error: unknown }).error;
  return typeof code === "string" ? code : undefined;
}

/**
 * Runs work one after another per key: two quick changes to an incident must reach its pinned
 * summary in order, and the summary must exist before it is updated.
 */
export function createSerialQueue() {
  const tails = new Map<string, Promise<void>>();
  return (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = next.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}

/** Keeps track of work started after an ack, so stop() and tests can wait for it. */
export function createInFlight(onError: (error: unknown) => void) {
  const running = new Set<Promise<void>>();
  return {
    track(work: Promise<unknown>): void {
      const tracked = work.then(
        () => {},
        (error: unknown) => onError(error),
      );
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
    },
    /** Resolves when nothing started so far (or started meanwhile) is still running. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
