/**
 * The first schema. Times are INTEGER milliseconds since the epoch (UTC). Every table is STRICT,
 * so a wrong type is an error instead of a silent coercion.
 */
export const initial = `
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  severity INTEGER CHECK (severity BETWEEN 1 AND 4),
  status TEXT NOT NULL CHECK (status IN ('investigating','identified','monitoring','resolved')),
  started_at INTEGER NOT NULL,
  declared_at INTEGER NOT NULL,
  resolved_at INTEGER,
  platform TEXT NOT NULL,
  created_by TEXT NOT NULL,
  next_timeline_number INTEGER NOT NULL DEFAULT 1,
  next_action_number INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE incident_rooms (
  platform TEXT NOT NULL,
  room_id TEXT NOT NULL,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  PRIMARY KEY (platform, room_id)
) STRICT;
CREATE INDEX incident_rooms_by_incident ON incident_rooms(incident_id);

CREATE TABLE roles (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  role TEXT NOT NULL CHECK (role IN ('commander','comms','scribe')),
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  PRIMARY KEY (incident_id, role)
) STRICT;

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  platform TEXT NOT NULL,
  room_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  edited_at INTEGER,
  deleted_at INTEGER,
  UNIQUE (platform, event_id)
) STRICT;
CREATE INDEX messages_by_incident ON messages(incident_id, at);

CREATE TABLE timeline_entries (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  number INTEGER NOT NULL,
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('note','declared','status','severity','role','resolved','pin','tag')),
  status TEXT,
  author_id TEXT NOT NULL,
  message_id INTEGER REFERENCES messages(id),
  created_at INTEGER NOT NULL,
  UNIQUE (incident_id, number)
) STRICT;
CREATE INDEX timeline_by_time ON timeline_entries(incident_id, at, id);
CREATE INDEX timeline_by_message ON timeline_entries(message_id) WHERE message_id IS NOT NULL;

CREATE TABLE pins (
  platform TEXT NOT NULL,
  message_event_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reaction_event_id TEXT,
  PRIMARY KEY (platform, message_event_id, actor_id)
) STRICT;
CREATE INDEX pins_by_reaction ON pins(platform, reaction_event_id) WHERE reaction_event_id IS NOT NULL;

CREATE TABLE action_items (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  number INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner TEXT,
  due TEXT,
  done_at INTEGER,
  author_id TEXT NOT NULL,
  message_id INTEGER REFERENCES messages(id),
  created_at INTEGER NOT NULL,
  UNIQUE (incident_id, number)
) STRICT;

CREATE TABLE section_items (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  section TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('paragraph','bullet')),
  text TEXT NOT NULL,
  author_id TEXT NOT NULL,
  message_id INTEGER REFERENCES messages(id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX section_items_by_incident ON section_items(incident_id, section, id);

-- Platform event ids already handled: redeliveries and sync replays change nothing.
CREATE TABLE processed_events (
  platform TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) STRICT, WITHOUT ROWID;

-- Edits and removals keep what was there before.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER REFERENCES incidents(id),
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  before TEXT,
  after TEXT
) STRICT;
CREATE INDEX audit_by_incident ON audit_log(incident_id, id);

-- Adapter state that must survive restarts (Matrix sync token, access token).
CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
