/**
 * Alerts in (Alertmanager and Grafana webhooks).
 *
 * alert_groups ties a sender's alert group (its `groupKey`) to the incident it declared or joined:
 * later deliveries of the same group add to that incident while it is open. One row per group; a
 * group that fires again after its incident was resolved declares a new one and the row follows.
 *
 * alerts_seen makes redeliveries change nothing. Alertmanager resends the whole group every
 * group_interval, so every alert in it arrives again and again: an alert is recorded once per
 * fingerprint, state and time (its startsAt when firing, its endsAt when resolved). A firing
 * alert's endsAt is left out of the key: Alertmanager moves it forward at each resend.
 * `entry_id` is the timeline entry the alert made (null once that entry was removed).
 */
export const alerts = `
CREATE TABLE alert_groups (
  source TEXT NOT NULL CHECK (source IN ('alertmanager','grafana')),
  group_key TEXT NOT NULL,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (source, group_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_groups_by_incident ON alert_groups(incident_id);

CREATE TABLE alerts_seen (
  source TEXT NOT NULL CHECK (source IN ('alertmanager','grafana')),
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('firing','resolved')),
  at INTEGER NOT NULL,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  entry_id INTEGER REFERENCES timeline_entries(id) ON DELETE SET NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (source, fingerprint, state, at)
) STRICT, WITHOUT ROWID;
`;
