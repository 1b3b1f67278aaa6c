/**
 * Alertmanager's webhook carries at most `max_alerts` alerts of a group and says how many it left
 * out (`truncatedAlerts`; Grafana's has the field too). An incident notes that number on its
 * timeline once, and again when it has doubled since: `truncated_noted` is the count last noted
 * for the group's incident (0: none), reset when the group moves to a new incident.
 */
export const truncatedAlerts = `
ALTER TABLE alert_groups ADD COLUMN truncated_noted INTEGER NOT NULL DEFAULT 0;
`;
