/**
 * A Slack command whose answer has not gone out yet (committed, ack not written) was marked
 * inside its stored reply's JSON, and unmarking it after the ack meant reading, parsing and
 * rewriting that reply: a second read and write per command (npm run bench, Slack). The mark
 * (where the answer goes: room, user, response_url, as JSON) gets a column of its own, written
 * with the event's row and cleared by key. Marks already stored move out of their replies; a
 * reply that is not JSON (json_type would refuse it) is left as it is.
 */
export const unansweredColumn = `
ALTER TABLE processed_events ADD COLUMN unanswered TEXT;
UPDATE processed_events
   SET unanswered = json_extract(reply, '$.unanswered'),
       reply = json_remove(reply, '$.unanswered')
 WHERE reply LIKE '%"unanswered":%'
   AND CASE WHEN json_valid(reply) THEN json_type(reply, '$.unanswered') END = 'object';
`;
