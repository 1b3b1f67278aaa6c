/**
 * Section items and action items made from a collected message are found by that message when it
 * is edited or deleted on the platform; without these, every edit scanned both tables.
 */
export const derivedByMessage = `
CREATE INDEX section_items_by_message ON section_items(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX action_items_by_message ON action_items(message_id) WHERE message_id IS NOT NULL;
`;
