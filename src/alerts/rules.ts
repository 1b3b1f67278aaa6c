import { readFileSync } from "node:fs";
import { Liquid, type Template } from "liquidjs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type DecideOpening, flatText } from "../incidents/alerts.ts";
import { MAX_TITLE } from "../incidents/limits.ts";
import type { ReceivedAlert } from "../incidents/types.ts";

/**
 * HINDSIGHT_ALERT_RULES: a YAML or JSON file holding a list of rules, read and checked at start.
 *
 *   - match: { alertname: HighErrorRate, env: prod }     # label → exact value
 *     severity: 1
 *     title: "{{ labels.alertname }} on {{ labels.instance }}"
 *   - match: { service: "/checkout|payments/" }          # /regex/: must match the whole value
 *     severity: 2
 *
 * The first rule matching a new firing alert of a group declares the incident; a label the alert
 * lacks reads as "" (as in Alertmanager's matchers). See docs/alerts.md.
 */

const liquid = new Liquid({ outputEscape: undefined, strictFilters: true, ownPropertyOnly: true });

export interface AlertRule {
  match: { label: string; test: (value: string) => boolean; source: string }[];
  severity: number;
  title: Template[] | undefined;
}

/** The rules as loaded; logged (at start) as where they came from, not as their contents. */
export interface AlertRules {
  file: string;
  rules: AlertRule[];
  toJSON(): string;
}

const REGEX = /^\/(.*)\/$/s;

const ruleSchema = z.object(
  {
    // YAML reads `code: 500` as a number: label values are strings, so it means "500".
    match: z.record(
      z.string().min(1),
      z
        .union([z.string(), z.number(), z.boolean()], { error: "must be a string" })
        .transform(String),
      { error: "must map label names to values" },
    ),
    severity: z.number({ error: "must be 1, 2, 3 or 4" }).int().min(1).max(4, {
      error: "must be 1, 2, 3 or 4",
    }),
    title: z.string().min(1).optional(),
  },
  { error: "must be a rule with match and severity" },
);

const fileSchema = z.array(ruleSchema, { error: "must hold a list of rules" });

/** One rule's matcher: an exact value, or a /regex/ anchored at both ends. */
function matcher(label: string, value: string): AlertRule["match"][number] {
  const regex = REGEX.exec(value);
  if (!regex) return { label, source: value, test: (v) => v === value };
  const compiled = new RegExp(`^(?:${regex[1]})$`, "u");
  return { label, source: value, test: (v) => compiled.test(v) };
}

/**
 * Reads and checks the rules file; the problems come back all together (each a line naming the
 * rule), for the one configuration message at start.
 */
export function loadAlertRules(file: string): { rules?: AlertRules; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problems: [`cannot read ${file}: ${code}`] };
  }
  let data: unknown;
  try {
    // JSON is YAML too, but its own parser gives the better error for a .json file.
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    return {
      problems: [`${file} is not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${first}`],
    };
  }
  const result = fileSchema.safeParse(data ?? []);
  if (!result.success)
    return {
      problems: result.error.issues.map((i) => {
        const [index, ...rest] = i.path;
        const where = index === undefined ? file : `${file} rule ${Number(index) + 1}`;
        return `${where}${rest.length > 0 ? ` ${rest.join(".")}` : ""} ${i.message}`;
      }),
    };
  const problems: string[] = [];
  const rules = result.data.map((r, i): AlertRule => {
    const where = `${file} rule ${i + 1}`;
    if (Object.keys(r.match).length === 0) problems.push(`${where} match names no label`);
    const match = Object.entries(r.match).flatMap(([label, value]) => {
      try {
        return [matcher(label, value)];
      } catch (error) {
        problems.push(`${where} match.${label} is not a valid regex: ${(error as Error).message}`);
        return [];
      }
    });
    let title: Template[] | undefined;
    if (r.title !== undefined) {
      try {
        title = liquid.parse(r.title);
      } catch (error) {
        problems.push(`${where} title: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    return { match, severity: r.severity, title };
  });
  if (problems.length > 0) return { problems };
  return {
    rules: {
      file,
      rules,
      toJSON: () => `${file} (${rules.length} rule${rules.length === 1 ? "" : "s"})`,
    },
    problems,
  };
}

const matches = (rule: AlertRule, alert: ReceivedAlert) =>
  rule.match.every((m) => m.test(alert.labels[m.label] ?? ""));

const oneLine = (text: string) => flatText(text, MAX_TITLE);

/** The incident's title: the rule's template over the alert's labels and annotations, else its alertname. */
export function titleOf(rule: AlertRule, alert: ReceivedAlert): string {
  const fallback = oneLine(alert.labels.alertname ?? "") || "Alert";
  if (!rule.title) return fallback;
  try {
    const rendered = liquid.renderSync(rule.title, {
      labels: alert.labels,
      annotations: alert.annotations,
    }) as string;
    return oneLine(rendered) || fallback;
  } catch {
    return fallback;
  }
}

/**
 * The opening for a group's new firing alerts: the first rule (in file order) that any of them
 * matches wins, and of the alerts it matches, the one that started first opens the incident.
 */
export function decideWith(rules: AlertRules | undefined): DecideOpening {
  return (fresh) => {
    for (const rule of rules?.rules ?? []) {
      const matched = fresh.filter((a) => matches(rule, a));
      if (matched.length === 0) continue;
      const alert = matched.reduce((a, b) => (b.startsAt < a.startsAt ? b : a));
      return { title: titleOf(rule, alert), severity: rule.severity, alert };
    }
    return undefined;
  };
}
