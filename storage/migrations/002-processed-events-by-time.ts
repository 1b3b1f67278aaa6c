/** Lets old dedupe rows be pruned by age without scanning the whole table. */
export const processedEventsByTime = `
CREATE INDEX processed_events_by_time ON processed_events(processed_at);
`;
