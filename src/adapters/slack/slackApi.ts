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

/** Keeps track of work started after an ack, so stop() and tests can wait for it. */
export function createInFlight(onError: (error: unknown) => void) {
  /** each running piece of work and what it is, for the log when stop() gives up on it */
  const running = new Map<Promise<void>, string>();
  return {
    track(work: Promise<unknown>, what: string): void {
      const tracked = work.then(
        () => {},
        (error: unknown) => onError(error),
      );
      running.set(tracked, what);
      void tracked.finally(() => running.delete(tracked));
    },
    /** Resolves when nothing started so far (or started meanwhile) is still running. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running.keys());
    },
    /** Waits for idle() at most `ms`; returns what was still running then (empty when idle). */
    async settle(ms: number): Promise<string[]> {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      try {
        await Promise.race([this.idle(), deadline]);
      } finally {
        clearTimeout(timer);
      }
      return [...running.values()];
    },
  };
}
