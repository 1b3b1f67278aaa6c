import type { Clock } from "../../clock.ts";
import type { Logger } from "../../logging.ts";
import type { WebClient } from "./slackApi.ts";

export interface Profile {
  /** IANA zone from the Slack profile ("Europe/Berlin"); Slack always sends one for humans */
  timezone: string | undefined;
  /** what people see: display name, else real name, else the handle */
  name: string | undefined;
}

const UNKNOWN: Profile = { timezone: undefined, name: undefined };
const FAILED_TTL_MS = 5 * 60 * 1000;

export interface UserCacheOptions {
  client: WebClient;
  clock: Clock;
  log: Logger;
  /** how long a looked-up profile is trusted; people rarely change zone mid-incident */
  ttlMs?: number;
}

/**
 * users.info results kept for a while: every command needs the caller's zone for bare times
 * ("10:05"), and asking Slack each time would cost a round trip before the ack.
 */
export function createUserCache(options: UserCacheOptions) {
  const { client, clock, log } = options;
  const ttl = options.ttlMs ?? 60 * 60 * 1000;
  const cache = new Map<string, { profile: Profile; until: number }>();
  const pending = new Map<string, Promise<Profile | undefined>>();

  function fetchProfile(userId: string): Promise<Profile | undefined> {
    const running = pending.get(userId);
    if (running) return running;
    const lookup = client.users
      .info({ user: userId })
      .then((res): Profile | undefined => {
        const user = res.user;
        if (!user) return undefined;
        const profile: Profile = {
          timezone: user.tz || undefined,
          name: user.profile?.display_name || user.profile?.real_name || user.name || undefined,
        };
        cache.set(userId, { profile, until: clock.now() + ttl });
        return profile;
      })
      .catch((error: unknown) => {
        log.warn({ err: error, user: userId }, "users.info failed; using the default zone");
        // Remember the failure for a while too, so one unknown user does not cost a call per command.
        cache.set(userId, { profile: UNKNOWN, until: clock.now() + FAILED_TTL_MS });
        return undefined;
      })
      .finally(() => pending.delete(userId));
    pending.set(userId, lookup);
    return lookup;
  }

  return {
    /** The cached profile, if fresh. Never waits. */
    cached(userId: string): Profile | undefined {
      const hit = cache.get(userId);
      return hit && hit.until > clock.now() ? hit.profile : undefined;
    },
    /**
     * The profile, waiting at most budgetMs for Slack when it is not cached: Slack wants the ack
     * within 3 s, so a slow users.info yields the default zone now and a warm cache next time.
     */
    async lookup(userId: string, budgetMs: number): Promise<Profile | undefined> {
      const hit = this.cached(userId);
      if (hit) return hit;
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), budgetMs);
      });
      try {
        return await Promise.race([fetchProfile(userId), budget]);
      } finally {
        clearTimeout(timer);
      }
    },
    /** Fills the cache in the background (after an ack), so the next command finds it. */
    warm(userId: string): Promise<unknown> {
      return this.cached(userId) ? Promise.resolve() : fetchProfile(userId);
    },
  };
}

export type UserCache = ReturnType<typeof createUserCache>;
