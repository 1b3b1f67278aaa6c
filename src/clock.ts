/** The only source of "now" in the domain, so tests can fix it. Milliseconds since the epoch, UTC. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(at: number | string): Clock & { set(at: number | string): void } {
  let current = typeof at === "string" ? Date.parse(at) : at;
  return {
    now: () => current,
    set(next) {
      current = typeof next === "string" ? Date.parse(next) : next;
    },
  };
}
