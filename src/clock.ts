/** The only source of "now" in the domain, so tests can fix it. Milliseconds since the epoch, UTC. */
export interface Clock {
  now(): number;
}

/** Runs `run` every `ms` until the returned function is called. */
export interface Scheduler {
  every(ms: number, run: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  every(ms, run) {
    const timer = setInterval(run, ms);
    // A repeating timer must never be what keeps the process alive (piped input, SIGTERM).
    timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * A clock that moves only when told, and a scheduler on it: `advance` runs each repeating timer
 * at every time it comes due on the way, with the clock reading that time.
 */
export function fixedClock(
  at: number | string,
): Clock & Scheduler & { set(at: number | string): void; advance(ms: number): void } {
  let current = typeof at === "string" ? Date.parse(at) : at;
  const timers = new Set<{ due: number; ms: number; run: () => void }>();
  return {
    now: () => current,
    set(next) {
      current = typeof next === "string" ? Date.parse(next) : next;
    },
    every(ms, run) {
      const timer = { due: current + ms, ms, run };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advance(ms) {
      const end = current + ms;
      for (;;) {
        let next: { due: number; ms: number; run: () => void } | undefined;
        for (const t of timers) if (t.due <= end && (!next || t.due < next.due)) next = t;
        if (!next) break;
        current = next.due;
        next.due += next.ms;
        next.run();
      }
      current = end;
    },
  };
}
