import type { Durations, Milestones } from "../incidents/milestones.ts";
import { MILESTONE_LABELS } from "../incidents/milestones.ts";
import { humanDuration } from "../incidents/summary.ts";
import { escapeOneLine } from "./escape.ts";

/** One milestone for templates: nil when not set. */
export interface MilestoneVar {
  /** ISO 8601 UTC */
  at: string;
  date: string;
  time: string;
  label: string;
  /** true when it is a default (impact-start = declared, impact-end = mitigated or resolved) */
  default: boolean;
}

const ORDER = [
  ["declared", "declared"],
  ["impact_start", "impact-start"],
  ["detected", "detected"],
  ["identified", "identified"],
  ["mitigated", "mitigated"],
  ["impact_end", "impact-end"],
  ["resolved", "resolved"],
] as const;

type Key = (typeof ORDER)[number][0];

function values(m: Milestones): Record<Key, [number | null, boolean]> {
  return {
    declared: [m.declared, false],
    impact_start: [m.impactStart, m.impactStartDefault],
    detected: [m.detected, false],
    identified: [m.identified, false],
    mitigated: [m.mitigated, false],
    impact_end: [m.impactEnd, m.impactEndDefault],
    resolved: [m.resolved, false],
  };
}

/**
 * `milestones.<name>` (underscores: `impact_start`, `impact_end`) and `milestones_markdown`, one
 * italic line such as `_Milestones (UTC): declared 10:05 · impact started 10:00 · …_`, with dates
 * when the milestones span more than one UTC day; "" when only the start is known.
 */
export function milestoneVars(m: Milestones) {
  const vars = {} as Record<Key, MilestoneVar | null>;
  const set = values(m);
  const days = new Set<string>();
  for (const [key, name] of ORDER) {
    const [at, isDefault] = set[key];
    if (at === null) {
      vars[key] = null;
      continue;
    }
    const iso = new Date(at).toISOString();
    days.add(iso.slice(0, 10));
    vars[key] = {
      at: iso,
      date: iso.slice(0, 10),
      time: iso.slice(11, 16),
      label: MILESTONE_LABELS[name],
      default: isDefault,
    };
  }
  const parts = ORDER.flatMap(([key]) => {
    const v = vars[key];
    return v ? [`${v.label} ${days.size > 1 ? `${v.date} ${v.time}` : v.time}`] : [];
  });
  // The start alone (declared, and impact-start defaulting to it) says nothing the intro does not.
  const onlyStart = ORDER.every(
    ([key]) => vars[key] === null || key === "declared" || vars[key]?.default,
  );
  const markdown = onlyStart ? "" : `_Milestones (UTC): ${parts.join(" · ")}_`;
  return { milestones: vars, milestones_markdown: markdown };
}

export function durationVars(d: Durations) {
  const one = (ms: number | null) => (ms === null ? null : { ms, text: humanDuration(ms) });
  return {
    detect: one(d.detect),
    identify: one(d.identify),
    mitigate: one(d.mitigate),
    resolve: one(d.resolve),
    impact: one(d.impact),
  };
}

const ROLE_ORDER = ["commander", "comms", "scribe"] as const;

/** `_Commander: Adrian · comms: Bea · scribe: Carl_`, only the roles held; "" with none. */
export function rolesMarkdown(roles: Record<string, string>): string {
  const parts = ROLE_ORDER.filter((r) => roles[r]).map((r) => `${r}: ${escapeOneLine(roles[r]!)}`);
  if (parts.length === 0) return "";
  const text = parts.join(" · ");
  return `_${text.charAt(0).toUpperCase()}${text.slice(1)}_`;
}
