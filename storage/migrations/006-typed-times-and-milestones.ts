/**
 * Bare times are read against the incident's latest *typed* time (one a person gave, or a message
 * carried), so each timeline entry now says whether its time was typed; entries the bot stamped
 * with the current time never move that anchor. Rows from before this migration cannot say: an
 * entry whose time equals the moment it was recorded was stamped "now" (typed = 0), anything else
 * was typed; declared, pinned and tagged entries always carry a typed time.
 *
 * `milestone` names the milestone an `/incident mark` entry sets (kind 'milestone', new, which the
 * CHECK on kind forces a rebuild of the table for: SQLite cannot alter a CHECK). `byline` is the
 * part of a bot line that names its author (" by alice"), so a draft can leave authors out.
 * Nothing references timeline_entries by foreign key, so the rebuild is a plain copy.
 *
 * The partial index answers "latest typed time" (asked by every command that reads a time) in one
 * step even when thousands of bot-stamped entries came after it; rows stamped "now" are not in it,
 * so the common untimed /timeline add pays nothing for it.
 */
export const typedTimesAndMilestones = `
CREATE TABLE timeline_entries_new (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  number INTEGER NOT NULL,
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('note','declared','status','severity','role','resolved','pin','tag','milestone')),
  status TEXT,
  author_id TEXT NOT NULL,
  message_id INTEGER REFERENCES messages(id),
  created_at INTEGER NOT NULL,
  typed INTEGER NOT NULL DEFAULT 1 CHECK (typed IN (0, 1)),
  milestone TEXT CHECK (milestone IN ('impact-start','detected','identified','mitigated','impact-end','resolved')),
  byline TEXT,
  UNIQUE (incident_id, number)
) STRICT;
INSERT INTO timeline_entries_new
  (id, incident_id, number, at, text, kind, status, author_id, message_id, created_at, typed)
SELECT id, incident_id, number, at, text, kind, status, author_id, message_id, created_at,
  CASE WHEN kind IN ('declared','pin','tag') OR at != created_at THEN 1 ELSE 0 END
FROM timeline_entries;
DROP TABLE timeline_entries;
ALTER TABLE timeline_entries_new RENAME TO timeline_entries;
CREATE INDEX timeline_by_time ON timeline_entries(incident_id, at, id);
CREATE INDEX timeline_by_message ON timeline_entries(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX timeline_typed_by_time ON timeline_entries(incident_id, at) WHERE typed = 1;
`;
