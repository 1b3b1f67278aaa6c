import type { DraftData, DraftSectionItem } from "../../src/incidents/draftData.ts";
import type { SectionName } from "../../src/incidents/sections.ts";

/** 2023-02-23 at HH:MM UTC, in ms. */
export const at = (hhmm: string, date = "2023-02-23"): number => Date.parse(`${date}T${hhmm}:00Z`);

export function noSections(): Record<SectionName, DraftSectionItem[]> {
  return {
    summary: [],
    impact: [],
    "root-causes": [],
    trigger: [],
    detection: [],
    resolution: [],
    lessons: [],
    "went-well": [],
    "went-wrong": [],
    lucky: [],
  };
}

const p = (text: string): DraftSectionItem => ({ kind: "paragraph", text });
const b = (text: string): DraftSectionItem => ({ kind: "bullet", text });

/** The six timeline lines of reference/2023-02-24-post-mortem.md, in order. */
export const REFERENCE_TIMELINE = [
  ["10:00", "started to deploy the new Salt setup"],
  ["10:05", "noticed a problem with the webserver on the main login-proxy"],
  ["10:06", "checking the failover machine"],
  ["10:10", "found the issue on the failover machine and started keepalived again"],
  ["10:20", "found the issue on the main machine and fixed the scripts and filesystem ACLs"],
  ["10:25", "final rollout of the fixed scripts and rollback of the services to the main machine"],
] as const;

export { REFERENCE_HEADINGS } from "../reference.ts";

/**
 * The reference incident as it looks after being re-enacted through chat: declared at 10:05,
 * identified at 10:10, monitoring from 10:20, resolved at 10:25, back-dated to 10:00.
 */
export function referenceIncident(): DraftData {
  const [l0, l1, l2, l3, l4, l5] = REFERENCE_TIMELINE.map(([time, text]) => ({
    at: at(time),
    text,
    kind: "note" as const,
  }));
  return {
    incident: {
      number: 1,
      ref: "INC-1",
      title: "Downtime",
      severity: 2,
      status: "resolved",
      startedAt: at("10:00"),
      declaredAt: at("10:05"),
      resolvedAt: at("10:25"),
      roles: { commander: "Adrian" },
    },
    sections: {
      summary: [
        p(
          "Some maintenance operations plus a missing configuration rollback caused a 20 minutes\ncertificate error on our [reference server](https://build.opensuse.org).",
        ),
      ],
      impact: [
        p(
          "Our reference server was providing a wrong/ outdated certificate for around 20 minutes.",
        ),
      ],
      "root-causes": [
        p("It is common to perform updating operations in our systems during maintenance windows."),
        p("Switching over to the secondary system did not work as intended."),
      ],
      trigger: [
        b("Changing the dehydrated configuration to a setup that is generated via Salt"),
        b("Missing fallback capabilities because of disabled service on the backup\nnode"),
      ],
      detection: [p("The team detected directly that the post-run hook of dehydrated went wrong.")],
      resolution: [
        b("Fixing the post-run hook script of dehydrated and some filesystem ACLs."),
        b("Re-enabling keepalived on the secondary node fixed the failover."),
      ],
      lessons: [
        b("Our test environment did not cover the dehydrated setup."),
        b("Leaving the secondary machine in debugging state was a human error."),
      ],
      "went-well": [p("The team quickly realized the broken certificate.")],
      "went-wrong": [b("Not running highstate on all machines after the last downtime")],
      lucky: [b("Directly getting aware of the problem.")],
    },
    actions: [
      {
        number: 1,
        text: "Check and fix the Salt profile for dehydrated",
        done: true,
        owner: null,
        due: null,
      },
      {
        number: 2,
        text: "Always run a 'Salt highstate' once a machine gets included in the production workload again.",
        done: true,
        owner: "Adrian",
        due: "2023-03-01",
      },
    ],
    timeline: [
      l0!,
      l1!,
      { at: at("10:05"), text: "Incident declared: Downtime (SEV2)", kind: "declared" },
      l2!,
      l3!,
      { at: at("10:10"), text: "Status: identified", kind: "status", status: "identified" },
      l4!,
      { at: at("10:20"), text: "Status: monitoring", kind: "status", status: "monitoring" },
      l5!,
      { at: at("10:25"), text: "Resolved", kind: "resolved" },
    ],
    category: "deployments",
  };
}

export function headingLines(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("#"));
}
