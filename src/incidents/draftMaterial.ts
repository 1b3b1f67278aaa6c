import type { DraftData, DraftSectionItem } from "./draftData.ts";
import { mentionsAsNames } from "./mentions.ts";
import { SECTIONS, type SectionName } from "./sections.ts";
import type { Stores } from "./stores.ts";
import type { Incident } from "./types.ts";

export interface DraftOptions {
  /** false: the bot's own lines leave out who did it ("incident declared", not "… by alice") */
  authors?: boolean;
}

/**
 * Reads one incident's post-mortem material from the database, in the order the draft needs.
 * Chat mention tokens become plain `@name`: the draft is a document, not a chat message.
 */
export function draftDataFor(
  stores: Stores,
  incident: Incident,
  category: string,
  options: DraftOptions = {},
): DraftData {
  const authors = options.authors ?? true;
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, [] as DraftSectionItem[]])) as Record<
    SectionName,
    DraftSectionItem[]
  >;
  for (const item of stores.sections.all(incident.id)) {
    sections[item.section as SectionName]?.push({
      kind: item.kind,
      text: mentionsAsNames(item.text),
    });
  }
  const roles: Record<string, string> = {};
  for (const r of stores.incidents.roles(incident.id)) roles[r.role] = mentionsAsNames(r.userName);
  const timeline = [];
  for (const e of stores.timeline.iterate(incident.id)) {
    // The byline is removed only where it still stands as recorded (an edit may have changed it).
    const text = !authors && e.byline ? e.text.replace(e.byline, "") : e.text;
    timeline.push({
      at: e.at,
      text: mentionsAsNames(text),
      kind: e.kind,
      status: e.status,
      milestone: e.milestone,
    });
  }
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
    actions: stores.actions.list(incident.id).map((a) => ({
      number: a.number,
      text: mentionsAsNames(a.text),
      done: a.doneAt !== null,
      owner: a.owner === null ? null : mentionsAsNames(a.owner),
      due: a.due,
      link: a.link && { ref: a.link.ref, url: a.link.url },
    })),
    timeline,
    updates: stores.updates.list(incident.id).map((u) => ({
      at: u.at,
      text: mentionsAsNames(u.text),
      author: mentionsAsNames(u.authorName),
    })),
    category,
  };
}
