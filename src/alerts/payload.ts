import { createHash } from "node:crypto";
import { z } from "zod";
import type { AlertSource, ReceivedAlert, ReceivedGroup } from "../incidents/types.ts";

/**
 * The two webhook bodies, validated. Alertmanager's is its webhook format version 4 (one alert
 * group per request: groupKey, status, receiver, groupLabels, commonLabels, commonAnnotations,
 * externalURL, truncatedAlerts, alerts[]); Grafana's contact-point webhook sends the same shape
 * with its own version ("1") and a few fields more (orgId, title, state, message). Fields we do
 * not use are allowed and ignored; the ones we use must be there and well-formed.
 */

/** RFC 3339, as Go writes times: fractional seconds up to nanoseconds, Z or an offset. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
/** Go's zero time ("0001-01-01T00:00:00Z"): the sender left the time unset. */
const ZERO_YEAR = 1;

const time = z
  .string({ error: "must be a time like 2026-03-02T10:00:00Z" })
  .regex(RFC3339, { error: "must be a time like 2026-03-02T10:00:00Z" })
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: `is not a real time: ${value}` });
      return z.NEVER;
    }
    return new Date(ms).getUTCFullYear() <= ZERO_YEAR ? null : ms;
  });
const labels = z.record(z.string(), z.string({ error: "must be a string" }), {
  error: "must be an object of strings",
});

const alert = z.object({
  status: z.enum(["firing", "resolved"], { error: "must be firing or resolved" }),
  labels,
  annotations: labels.default({}),
  startsAt: time.refine((ms) => ms !== null, { error: "must be set" }),
  endsAt: time.optional(),
  fingerprint: z.string().min(1).optional(),
});

const group = {
  groupKey: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
  status: z.enum(["firing", "resolved"], { error: "must be firing or resolved" }),
  alerts: z.array(alert, { error: "must be a list of alerts" }),
  // Advisory (how many alerts the sender left out): a value that is no count is read as none
  // rather than refusing the group's alerts, which the sender would not send again.
  truncatedAlerts: z
    .unknown()
    .transform((n) => (typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : 0)),
};

const alertmanager = z.object({
  version: z.literal("4", {
    error: (issue) =>
      `must be "4" (Alertmanager's webhook format), got ${JSON.stringify(issue.input)}${issue.input === "1" ? ": a Grafana contact point posts to /alerts/grafana" : ""}`,
  }),
  ...group,
});

const grafana = z.object({ version: z.string().optional(), ...group });

export const SCHEMAS: Record<
  AlertSource,
  z.ZodType<z.infer<typeof alertmanager | typeof grafana>>
> = { alertmanager, grafana };

/** Alertmanager's own fingerprint is a hash of the labels: the same stands in where none came. */
function fingerprintOf(labelSet: Record<string, string>): string {
  const sorted = Object.keys(labelSet)
    .sort()
    .map((k) => [k, labelSet[k]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 16);
}

export type Parsed = { ok: true; group: ReceivedGroup } | { ok: false; reason: string };

/** A request body as one group of alerts, or the reason it is not one (for the 400). */
export function parseGroup(source: AlertSource, body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `the body is not JSON: ${(error as Error).message}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { ok: false, reason: "the body must be a JSON object (one alert group)" };
  const result = SCHEMAS[source].safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => {
      const at = i.path.length > 0 ? i.path.join(".") : "body";
      return `${at} ${i.message}`;
    });
    const more =
      result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : "";
    return { ok: false, reason: `${issues.join("; ")}${more}` };
  }
  const { groupKey, alerts, truncatedAlerts } = result.data;
  return {
    ok: true,
    group: {
      source,
      groupKey,
      truncated: truncatedAlerts,
      alerts: alerts.map(
        (a): ReceivedAlert => ({
          fingerprint: a.fingerprint ?? fingerprintOf(a.labels),
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt as number,
          endsAt: a.endsAt ?? null,
        }),
      ),
    },
  };
}
