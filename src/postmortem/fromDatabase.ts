import type { Incident } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { SECTIONS, type SectionName } from "../incidents/sections.ts";
import type { DraftData, DraftSectionItem } from "./draftData.ts";

/** Reads one incident's post-mortem material from the database, in the order the draft needs. */
export function draftDataFor(repos: Repositories, incident: Incident, category: string): DraftData {
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, [] as DraftSectionItem[]])) as Record<
    SectionName,
    DraftSectionItem[]
  >;
  for (const item of repos.sections.all(incident.id)) {
    sections[item.section as SectionName]?.push({ kind: item.kind, text: item.text });
  }
  const roles: Record<string, string> = {};
  for (const r of repos.incidents.roles(incident.id)) roles[r.role] = r.userName;
  const timeline = [];
  for (const e of repos.timeline.iterate(incident.id))
    timeline.push({ at: e.at, text: e.text, kind: e.kind, status: e.status });
  return {
    incident: {
      number: incident.id,
      ref: `INC-${incident.id}`,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      startedAt: incident.startedAt,
      declaredAt: incident.declaredAt,
      resolvedAt: incident.resolvedAt,
      roles,
    },
    sections,
    actions: repos.actions.list(incident.id).map((a) => ({
      number: a.number,
      text: a.text,
      done: a.doneAt !== null,
      owner: a.owner,
      due: a.due,
    })),
    timeline,
    category,
  };
}
