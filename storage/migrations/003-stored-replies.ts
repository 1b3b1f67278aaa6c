/**
 * The reply a handled event got, kept with its dedupe row: a platform that replays an event it
 * is not sure was answered (a Matrix batch interrupted by a crash) can send the same reply again
 * instead of nothing. Pruned with the row.
 */
export const storedReplies = `
ALTER TABLE processed_events ADD COLUMN reply TEXT;
`;
