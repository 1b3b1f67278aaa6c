import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decideWith, loadAlertRules } from "../../src/alerts/rules.ts";
import { loadConfig } from "../../src/config.ts";
import type { ReceivedAlert } from "../../src/incidents/types.ts";
import { TOKEN, tempDir } from "./support.ts";

const dirs: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of dirs.splice(0)) cleanup();
});

function file(name: string, text: string): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function alert(labels: Record<string, string>, startsAt = 0): ReceivedAlert {
  return {
    fingerprint: JSON.stringify(labels),
    status: "firing",
    labels,
    annotations: { summary: "p99 above 1s" },
    startsAt,
    endsAt: null,
  };
}

const configError = (env: Record<string, string>) => {
  try {
    loadConfig({ HINDSIGHT_HTTP_PORT: "8080", ...env });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
};

describe("HINDSIGHT_ALERT_RULES", () => {
  it("matches exact values and whole-value regexes; the first rule wins; the title is Liquid", () => {
    const path = file(
      "rules.yaml",
      `- match: { service: "/check.*/", env: prod }
  severity: 1
  title: "{{ labels.service }} down: {{ annotations.summary }}"
- match: { service: checkout }
  severity: 4
`,
    );
    const { rules, problems } = loadAlertRules(path);
    expect(problems).toEqual([]);
    const decide = decideWith(rules);
    const prod = alert({ alertname: "Latency", service: "checkout", env: "prod" });
    expect(decide([prod])).toEqual({
      title: "checkout down: p99 above 1s",
      severity: 1,
      alert: prod,
    });
    // env missing reads as "": rule 1 fails, rule 2 matches; no title: the alertname
    const staging = alert({ alertname: "Latency", service: "checkout" });
    expect(decide([staging])).toMatchObject({ title: "Latency", severity: 4 });
    // anchored: "precheckout" is not /check.*/
    expect(decide([alert({ service: "precheckout", env: "prod" })])).toBeUndefined();
    // of the alerts the winning rule matches, the earliest opens the incident
    const later = alert({ alertname: "B", service: "checkout", env: "prod" }, 2000);
    const first = alert({ alertname: "A", service: "checkpoint", env: "prod" }, 1000);
    expect(decide([later, first])?.alert).toBe(first);
  });

  it("reads a YAML number or boolean as the label value it spells", () => {
    const path = file("rules.yaml", "- match: { code: 500, canary: true }\n  severity: 2\n");
    const decide = decideWith(loadAlertRules(path).rules);
    expect(decide([alert({ alertname: "Errors", code: "500", canary: "true" })])?.severity).toBe(2);
    expect(decide([alert({ alertname: "Errors", code: "5000", canary: "true" })])).toBeUndefined();
  });

  it("reads JSON too", () => {
    const path = file("rules.json", JSON.stringify([{ match: { alertname: "X" }, severity: 2 }]));
    const config = loadConfig({
      HINDSIGHT_HTTP_PORT: "8080",
      HINDSIGHT_ALERTS_TOKEN: TOKEN,
      HINDSIGHT_ALERT_RULES: path,
    });
    expect(config.HINDSIGHT_ALERT_RULES?.rules).toHaveLength(1);
    expect(JSON.stringify(config.HINDSIGHT_ALERT_RULES)).toBe(JSON.stringify(`${path} (1 rule)`));
  });

  it("reports every problem of the file with the other configuration errors, in one message", () => {
    const path = file(
      "rules.yaml",
      `- match: { alertname: A }
  severity: 5
- match: { alertname: "/(unclosed/" }
  severity: 2
- match: {}
  severity: 1
  title: "{{ labels.alertname | nosuchfilter }}"
- severity: 2
`,
    );
    const message = configError({
      HINDSIGHT_ALERTS_TOKEN: TOKEN,
      HINDSIGHT_ALERT_RULES: path,
      HINDSIGHT_TIMEZONE: "Mars/Olympus",
    });
    expect(message).toContain("invalid configuration:");
    expect(message).toContain("HINDSIGHT_TIMEZONE must be an IANA zone");
    expect(message).toContain(`HINDSIGHT_ALERT_RULES ${path} rule 1 severity must be 1, 2, 3 or 4`);
    expect(message).toContain(
      `HINDSIGHT_ALERT_RULES ${path} rule 4 match must map label names to values`,
    );
  });

  it("reports regex and template problems once the shape is right", () => {
    const path = file(
      "rules.yaml",
      `- match: { alertname: "/(unclosed/" }
  severity: 2
- match: {}
  severity: 1
  title: "{{ labels.alertname | nosuchfilter }}"
`,
    );
    const message = configError({ HINDSIGHT_ALERTS_TOKEN: TOKEN, HINDSIGHT_ALERT_RULES: path });
    expect(message).toContain(`${path} rule 1 match.alertname is not a valid regex`);
    expect(message).toContain(`${path} rule 2 match names no label`);
    expect(message).toContain(`${path} rule 2 title: undefined filter: nosuchfilter`);
  });

  it("names a missing file, bad YAML, and a file that is not a list", () => {
    expect(
      configError({
        HINDSIGHT_ALERTS_TOKEN: TOKEN,
        HINDSIGHT_ALERT_RULES: "/nonexistent/rules.yaml",
      }),
    ).toContain("HINDSIGHT_ALERT_RULES cannot read /nonexistent/rules.yaml: ENOENT");
    const bad = file("bad.yaml", "- match: { a: b\n  severity: 1\n");
    expect(configError({ HINDSIGHT_ALERTS_TOKEN: TOKEN, HINDSIGHT_ALERT_RULES: bad })).toContain(
      `HINDSIGHT_ALERT_RULES ${bad} is not valid YAML: `,
    );
    const map = file("map.yaml", "match: { a: b }\nseverity: 1\n");
    expect(configError({ HINDSIGHT_ALERTS_TOKEN: TOKEN, HINDSIGHT_ALERT_RULES: map })).toContain(
      `HINDSIGHT_ALERT_RULES ${map} must hold a list of rules`,
    );
  });

  it("needs the token, the rules and a port together", () => {
    const rules = file("rules.yaml", "- match: { a: b }\n  severity: 1\n");
    expect(configError({ HINDSIGHT_ALERT_RULES: rules })).toContain(
      "HINDSIGHT_ALERTS_TOKEN is required with HINDSIGHT_ALERT_RULES",
    );
    expect(configError({ HINDSIGHT_ALERTS_TOKEN: TOKEN })).toContain(
      "HINDSIGHT_ALERT_RULES is required with HINDSIGHT_ALERTS_TOKEN",
    );
    expect(configError({ HINDSIGHT_ALERTS_TOKEN: "short" })).toContain(
      "HINDSIGHT_ALERTS_TOKEN must be at least 16 characters",
    );
    let message = "";
    try {
      loadConfig({ HINDSIGHT_ALERTS_TOKEN: TOKEN, HINDSIGHT_ALERT_RULES: rules });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("HINDSIGHT_HTTP_PORT is required for alerts");
  });
});
