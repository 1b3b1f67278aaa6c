/**
 * Status updates and the reminders already posted.
 *
 * Updates get a table of their own rather than a new timeline kind: SQLite cannot alter the CHECK
 * on timeline_entries.kind, so a new kind means rebuilding that table, and the rebuild would have
 * to copy every column other migrations add to it. An update is also a different thing from a
 * timeline line: it is what stakeholders were told, as posted, while the timeline entry recorded
 * beside it (kind 'note') is the write-up's and may be edited or removed like any other.
 *
 * reminders_sent holds one row per reminder decided: the row is written in the transaction that
 * decides to post it, so a restart (or a second process on the same file) never posts it again.
 * `occurrence` names which one of its kind it is: the silence an update reminder is about (the
 * time it began), the resolution, the UTC day of an overdue reminder.
 *
 * The partial indexes find resolutions and severity changes without scanning long timelines;
 * they hold only those rows, so recording a note or a pin costs nothing more.
 */
export const updatesAndReminders = `
CREATE TABLE incident_updates (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL
) STRICT;
CREATE INDEX incident_updates_by_incident ON incident_updates(incident_id, at, id);

CREATE TABLE reminders_sent (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL CHECK (kind IN ('commander','update','resolve','overdue')),
  occurrence TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (incident_id, kind, occurrence)
) STRICT, WITHOUT ROWID;

CREATE INDEX timeline_resolutions ON timeline_entries(created_at) WHERE kind = 'resolved';
CREATE INDEX timeline_severity_changes ON timeline_entries(incident_id, created_at) WHERE kind = 'severity';
`;
