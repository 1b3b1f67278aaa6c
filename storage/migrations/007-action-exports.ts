/**
 * Action items filed in an issue tracker. `export_state` is the crash-safe part: an item is marked
 * 'pending' (and committed) before the tracker is called, and 'exported' with the link
 * after it answered; a pending item found later may already have its issue, so the exporter looks
 * it up by the marker in its body before filing again. `tracker` names the tracker kind the link
 * belongs to, so a team that switches trackers does not poll the old one for closed issues.
 * `tracker_closed_at`: when the sync saw the issue closed and ticked the item off; an item someone
 * reopens in chat is then not ticked off again by the same, still closed issue.
 */
export const actionExports = `
ALTER TABLE action_items ADD COLUMN export_state TEXT CHECK (export_state IN ('pending', 'exported'));
ALTER TABLE action_items ADD COLUMN export_pending_at INTEGER;
ALTER TABLE action_items ADD COLUMN tracker TEXT;
ALTER TABLE action_items ADD COLUMN tracker_id TEXT;
ALTER TABLE action_items ADD COLUMN tracker_ref TEXT;
ALTER TABLE action_items ADD COLUMN tracker_url TEXT;
ALTER TABLE action_items ADD COLUMN tracker_closed_at INTEGER;
CREATE INDEX action_items_open_exports ON action_items(tracker)
  WHERE export_state = 'exported' AND done_at IS NULL;
CREATE INDEX action_items_pending_exports ON action_items(export_pending_at)
  WHERE export_state = 'pending';
`;
