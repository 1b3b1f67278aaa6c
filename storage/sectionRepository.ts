import type { NewSectionItem, SectionStore } from "../src/incidents/stores.ts";
import type { SectionItem } from "../src/incidents/types.ts";
import type { Db } from "./database.ts";

export function sectionRepository(db: Db): SectionStore {
  const insert = db.prepare(
    `INSERT INTO section_items (incident_id, section, kind, text, author_id, message_id, created_at)
     VALUES (@incidentId, @section, @kind, @text, @authorId, @messageId, @createdAt)`,
  );
  const ofSection = db.prepare<[number, string], SectionItem>(
    "SELECT id, section, kind, text FROM section_items WHERE incident_id = ? AND section = ? ORDER BY id",
  );
  const ofIncident = db.prepare<[number], SectionItem>(
    "SELECT id, section, kind, text FROM section_items WHERE incident_id = ? ORDER BY id",
  );
  const byMessage = db.prepare<[number], SectionItem>(
    "SELECT id, section, kind, text FROM section_items WHERE message_id = ? ORDER BY id",
  );
  const clear = db.prepare("DELETE FROM section_items WHERE incident_id = ? AND section = ?");
  const setText = db.prepare("UPDATE section_items SET text = ? WHERE id = ?");
  const remove = db.prepare("DELETE FROM section_items WHERE id = ?");

  return {
    add(item: NewSectionItem): number {
      return Number(insert.run({ messageId: null, ...item }).lastInsertRowid);
    },
    section: (incidentId: number, section: string): SectionItem[] =>
      ofSection.all(incidentId, section),
    all: (incidentId: number): SectionItem[] => ofIncident.all(incidentId),
    forMessage: (messageId: number): SectionItem[] => byMessage.all(messageId),
    clear(incidentId: number, section: string): void {
      clear.run(incidentId, section);
    },
    setText(id: number, text: string): void {
      setText.run(text, id);
    },
    remove(id: number): void {
      remove.run(id);
    },
  };
}
