/**
 * Migration 2's index made every command update one more B-tree: about 12 % of /timeline add
 * throughput (npm run bench, ingest), to spare a once-a-day prune a scan of this table.
 * The daily scan is the cheaper side.
 */
export const dropProcessedEventsByTime = `
DROP INDEX IF EXISTS processed_events_by_time;
`;
