import type { Incident } from "../../storage/records.ts";
import type { Repositories } from "../../storage/repositories.ts";
import { mentionsAsNames } from "../core/args.ts";
import { SECTIONS, type SectionName } from "../incidents/sections.ts";
import type { DraftData, DraftSectionItem } from "./draftData.ts";

/**
 * Reads one incident's post-mortem material from the database, in the order the draft needs.
 * Chat mention tokens become plain `@name`: the draft is a document, not a chat message.
 */
export function draftDataFor(repos: Repositories, incident: Incident, category: string): DraftData {
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, [] as DraftSectionItem[]])) as Record<
    SectionName,
    DraftSectionItem[]
  >;
  for (const item of repos.sections.all(incident.id)) {
    sections[item.section as SectionName]?.push({
      kind: item.kind,
      text: mentionsAsNames(item.text),
    });
  }
  const roles: Record<string, string> = {};
  for (const r of repos.incidents.roles(incident.id)) roles[r.role] = mentionsAsNames(r.userName);
  const timeline = [];
  for (const e of repos.timeline.iterate(incident.id))
    timeline.push({ at: e.at, text: mentionsAsNames(e.text), kind: e.kind, status: e.status });
  return {
    incident: {
      number: incident.id,
      ref: `INC-${incident.id}`,
      title: mentionsAsNames(incident.title),
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
      text: mentionsAsNames(a.text),
      done: a.doneAt !== null,
      owner: a.owner === null ? null : mentionsAsNames(a.owner),
      due: a.due,
    })),
    timeline,
    updates: repos.updates.list(incident.id).map((u) => ({
      at: u.at,
      text: mentionsAsNames(u.text),
      author: mentionsAsNames(u.authorName),
    })),
    category,
  };
}
