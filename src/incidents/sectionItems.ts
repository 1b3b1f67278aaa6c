import type { Change } from "./actions.ts";
import type { Stores } from "./stores.ts";
import type { Incident, SectionItem } from "./types.ts";

/** Replaces a section with one paragraph; returns whether it had text before (audited then). */
export function setSection(
  stores: Stores,
  incident: Incident,
  section: string,
  text: string,
  change: Change,
): { replaced: boolean } {
  const before = stores.sections.section(incident.id, section);
  stores.sections.clear(incident.id, section);
  addSectionItem(stores, incident, section, "paragraph", text, change);
  if (before.length > 0) {
    stores.audit.write({
      incidentId: incident.id,
      at: change.now,
      actorId: change.actorId,
      action: "replace",
      entity: "section",
      entityId: null,
      before: { section, items: before.map((i) => i.text) },
      after: { section, items: [text] },
    });
  }
  return { replaced: before.length > 0 };
}

export function addSectionItem(
  stores: Stores,
  incident: Incident,
  section: string,
  kind: SectionItem["kind"],
  text: string,
  change: Change,
): void {
  stores.sections.add({
    incidentId: incident.id,
    section,
    kind,
    text,
    authorId: change.actorId,
    createdAt: change.now,
  });
}

/** Removes item `number` (its position, as /postmortem show lists it); audited. */
export function removeSectionItem(
  stores: Stores,
  incident: Incident,
  section: string,
  number: number,
  item: SectionItem,
  change: Change,
): void {
  stores.sections.remove(item.id);
  stores.audit.write({
    incidentId: incident.id,
    at: change.now,
    actorId: change.actorId,
    action: "remove",
    entity: "section",
    entityId: item.id,
    before: { section, number, kind: item.kind, text: item.text },
    after: null,
  });
}
