import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { type AlertRules, loadAlertRules } from "./alerts/rules.ts";
import { isValidZone } from "./incidents/time/zone.ts";
import {
  DEFAULT_COMMANDER_AFTER,
  DEFAULT_UPDATE_EVERY,
  parseCadence,
  parseDuration,
} from "./reminders/settings.ts";

/**
 * The only reader of process.env (docs/architecture.md). Every variable is validated at start; all problems
 * are reported together in one message.
 */
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { error: "use true or false" })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));
const port = z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535);
const url = z.url({ error: "must be a URL like https://example.org" });
/** `90s`, `5m`, `1h` (as for reminders), in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+\s*[smh]$/, { error: "must be a duration like 90s, 5m or 1h" })
  .transform((v) => Number.parseInt(v, 10) * { s: 1_000, m: 60_000, h: 3_600_000 }[v.at(-1)!]!);
export const TRACKERS = ["github", "gitlab", "jira"] as const;
/** What HINDSIGHT_TRACKER_PROJECT looks like for each tracker, for one clear start error. */
const PROJECT_SHAPE: Record<(typeof TRACKERS)[number], { pattern: RegExp; example: string }> = {
  github: { pattern: /^[\w.-]+\/[\w.-]+$/, example: "owner/repo" },
  gitlab: { pattern: /^(\d+|[\w.-]+(\/[\w.-]+)+)$/, example: "group/project or a project id" },
  jira: { pattern: /^[A-Z][A-Z0-9_]+$/, example: "a project key like OPS" },
};
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
/** A parser that throws a readable line becomes a zod transform reporting that line. */
const parsed = <T>(parse: (value: string) => T) =>
  z.string().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const envSchema = z
  .object({
    // Every setting with a default takes an empty value as "not set" (a blanked .env line).
    HINDSIGHT_DB: optional(z.string()).default("./data/hindsight.db"),
    HINDSIGHT_TIMEZONE: optional(
      z.string().refine(isValidZone, { error: "must be an IANA zone like UTC or Europe/Berlin" }),
    ).default("UTC"),
    HINDSIGHT_POSTMORTEM_CATEGORY: optional(z.string()).default("incidents"),
    HINDSIGHT_TEMPLATE: optional(z.string()).default("default"),
    HINDSIGHT_TEMPLATES_DIR: optional(z.string()).default("./templates"),
    HINDSIGHT_CREATE_ROOMS: optional(bool).default(true),
    HINDSIGHT_DRAFT_AUTHORS: optional(bool).default(true),
    HINDSIGHT_REMINDERS: optional(bool).default(true),
    HINDSIGHT_REMIND_COMMANDER_AFTER: optional(parsed(parseDuration)).default(
      parseDuration(DEFAULT_COMMANDER_AFTER),
    ),
    HINDSIGHT_REMIND_UPDATE_EVERY: optional(parsed(parseCadence)).default(
      parseCadence(DEFAULT_UPDATE_EVERY),
    ),
    HINDSIGHT_LOG_LEVEL: optional(
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    ).default("info"),
    HINDSIGHT_HTTP_PORT: optional(port),
    HINDSIGHT_HTTP_HOST: optional(z.string().min(1)),
    SLACK_BOT_TOKEN: optional(z.string().startsWith("xoxb-", { error: "must start with xoxb-" })),
    SLACK_APP_TOKEN: optional(z.string().startsWith("xapp-", { error: "must start with xapp-" })),
    SLACK_SIGNING_SECRET: optional(z.string().min(1)),
    SLACK_API_URL: optional(url),
    SLACK_ANNOUNCE_CHANNEL: optional(z.string().min(1)),
    PORT: optional(port).default(3000),
    MATRIX_HOMESERVER_URL: optional(url),
    MATRIX_ACCESS_TOKEN: optional(z.string().min(1)),
    MATRIX_USER_ID: optional(
      z.string().regex(/^@[^:]+:.+$/, { error: "must look like @bot:example.org" }),
    ),
    MATRIX_PASSWORD: optional(z.string().min(1)),
    MATRIX_ALLOWED_USERS: optional(z.string().min(1)),
    MATRIX_ANNOUNCE_ROOM: optional(z.string().min(1)),
    MATRIX_ENCRYPT_ROOMS: optional(
      z.enum(["auto", "always", "never"], { error: "use auto, always or never" }),
    ).default("auto"),
    MATRIX_CRYPTO_PASSPHRASE: optional(z.string().min(1)),
    MATRIX_SHARE_KEYS_WITH: optional(
      z.enum(["all", "signed"], { error: "use all or signed" }),
    ).default("all"),
    HINDSIGHT_TRACKER: optional(z.enum(TRACKERS, { error: "must be github, gitlab or jira" })),
    HINDSIGHT_TRACKER_URL: optional(url),
    HINDSIGHT_TRACKER_PROJECT: optional(z.string().min(1)),
    HINDSIGHT_TRACKER_TOKEN: optional(z.string().min(1)),
    HINDSIGHT_TRACKER_SYNC_EVERY: optional(
      duration.refine((ms) => ms >= 10_000, { error: "must be at least 10s" }),
    ).default(300_000),
    // A guessable token would let anyone declare incidents: ask for a generated one.
    HINDSIGHT_ALERTS_TOKEN: optional(
      z.string().min(16, { error: "must be at least 16 characters (openssl rand -hex 32)" }),
    ),
    HINDSIGHT_ALERT_RULES: optional(
      z.string().transform((file, ctx): AlertRules => {
        const { rules, problems } = loadAlertRules(file);
        for (const message of problems) ctx.addIssue({ code: "custom", message });
        return rules ?? z.NEVER;
      }),
    ),
    // The no-color.org convention: any non-empty value turns colour (and pretty logs) off.
    NO_COLOR: optional(z.string()),
  })
  .superRefine(
    (env, ctx) => {
      if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["SLACK_SIGNING_SECRET"],
          message: "is required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)",
        });
      }
      if (
        env.MATRIX_HOMESERVER_URL &&
        !env.MATRIX_ACCESS_TOKEN &&
        !(env.MATRIX_USER_ID && env.MATRIX_PASSWORD)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["MATRIX_ACCESS_TOKEN"],
          message: "is required (or MATRIX_USER_ID and MATRIX_PASSWORD)",
        });
      }
      alertProblems(env).forEach(([path, message]) => {
        ctx.addIssue({ code: "custom", path: [path], message });
      });
      trackerProblems(env).forEach(([path, message]) => {
        ctx.addIssue({ code: "custom", path: [path], message });
      });
      // Zod skips refinements once a field failed; run anyway so every problem shows at once.
      // The checks above only test presence, which holds for raw and parsed values alike.
    },
    { when: () => true },
  );

export type Env = z.infer<typeof envSchema>;

/** Alerts need a token, rules and a port to listen on; rules mean nothing without a token. */
function alertProblems(env: {
  HINDSIGHT_ALERTS_TOKEN?: unknown;
  HINDSIGHT_ALERT_RULES?: unknown;
  HINDSIGHT_HTTP_PORT?: unknown;
  SLACK_BOT_TOKEN?: unknown;
  SLACK_APP_TOKEN?: unknown;
}): [string, string][] {
  const problems: [string, string][] = [];
  if (env.HINDSIGHT_ALERT_RULES !== undefined && env.HINDSIGHT_ALERTS_TOKEN === undefined)
    problems.push(["HINDSIGHT_ALERTS_TOKEN", "is required with HINDSIGHT_ALERT_RULES"]);
  if (env.HINDSIGHT_ALERTS_TOKEN === undefined) return problems;
  if (env.HINDSIGHT_ALERT_RULES === undefined)
    problems.push([
      "HINDSIGHT_ALERT_RULES",
      "is required with HINDSIGHT_ALERTS_TOKEN (a rules file)",
    ]);
  const slackHttp = env.SLACK_BOT_TOKEN !== undefined && env.SLACK_APP_TOKEN === undefined;
  if (env.HINDSIGHT_HTTP_PORT === undefined && !slackHttp)
    problems.push([
      "HINDSIGHT_HTTP_PORT",
      "is required for alerts (or run Slack's HTTP receiver, whose PORT serves them)",
    ]);
  return problems;
}

/** A tracker needs its project and token; the other tracker settings mean nothing without one. */
function trackerProblems(env: {
  HINDSIGHT_TRACKER?: string | undefined;
  HINDSIGHT_TRACKER_URL?: unknown;
  HINDSIGHT_TRACKER_PROJECT?: string | undefined;
  HINDSIGHT_TRACKER_TOKEN?: string | undefined;
}): [string, string][] {
  const kind = env.HINDSIGHT_TRACKER;
  const problems: [string, string][] = [];
  if (!kind) {
    if (env.HINDSIGHT_TRACKER_PROJECT || env.HINDSIGHT_TRACKER_TOKEN)
      problems.push([
        "HINDSIGHT_TRACKER",
        "is required with the other tracker settings (github, gitlab or jira)",
      ]);
    return problems;
  }
  const shape = PROJECT_SHAPE[kind as (typeof TRACKERS)[number]];
  if (!shape) return problems;
  if (!env.HINDSIGHT_TRACKER_PROJECT)
    problems.push(["HINDSIGHT_TRACKER_PROJECT", `is required for ${kind} (${shape.example})`]);
  else if (!shape.pattern.test(env.HINDSIGHT_TRACKER_PROJECT))
    problems.push(["HINDSIGHT_TRACKER_PROJECT", `must be ${shape.example} for ${kind}`]);
  if (!env.HINDSIGHT_TRACKER_TOKEN)
    problems.push(["HINDSIGHT_TRACKER_TOKEN", `is required for ${kind}`]);
  // Jira has no one public service: every site has its own address.
  if (kind === "jira" && !env.HINDSIGHT_TRACKER_URL)
    problems.push([
      "HINDSIGHT_TRACKER_URL",
      "is required for jira (your site, like https://your-team.atlassian.net)",
    ]);
  return problems;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.join(".") || "environment"} ${i.message}`,
  );
  throw new ConfigError(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
}

const SECRET = /TOKEN|SECRET|PASSWORD|PASSPHRASE/;

/** The configuration with secrets replaced, safe to log at start. */
export function redactedConfig(config: Env): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      SECRET.test(k) && v !== undefined ? "[redacted]" : withoutCredentials(v),
    ]),
  );
}

/** A URL may carry a password (https://user:pass@host): keep the host, drop the userinfo. */
function withoutCredentials(value: unknown): unknown {
  if (typeof value !== "string" || !/^[a-z][\w+.-]*:\/\/[^/]*@/i.test(value)) return value;
  try {
    const url = new URL(value);
    url.username = url.password = "";
    return url.toString();
  } catch {
    return "[redacted]";
  }
}

const OURS = /^(HINDSIGHT|SLACK|MATRIX)_/;

/**
 * Typo guard: variables with our prefixes that the schema does not know are ignored by it, so a
 * misspelt HINDSIGHT_TIMEZNE would silently fall back to the default. One warning per name, with
 * the closest known name when it is a plausible typo. Values are never part of the message.
 */
export function unknownVariables(env: Record<string, string | undefined> = process.env): string[] {
  const known = Object.keys(envSchema.shape);
  return Object.keys(env)
    .filter((name) => OURS.test(name) && !known.includes(name))
    .sort()
    .map((name) => {
      const guess = closest(name, known);
      const hint = distance(name, guess) <= Math.max(2, Math.floor(guess.length / 5));
      return `unknown variable ${name}${hint ? ` (did you mean ${guess}?)` : ""}`;
    });
}
