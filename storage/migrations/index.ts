import { initial } from "./001-initial.ts";
import { processedEventsByTime } from "./002-processed-events-by-time.ts";
import { storedReplies } from "./003-stored-replies.ts";
import { derivedByMessage } from "./004-derived-by-message.ts";
import { dropProcessedEventsByTime } from "./005-drop-processed-events-by-time.ts";
import { typedTimesAndMilestones } from "./006-typed-times-and-milestones.ts";
import { actionExports } from "./007-action-exports.ts";
import { updatesAndReminders } from "./008-updates-and-reminders.ts";
import { alerts } from "./009-alerts.ts";
import { unansweredColumn } from "./010-unanswered-column.ts";
import { truncatedAlerts } from "./011-truncated-alerts.ts";

/**
 * Numbered, forward-only migrations. Migration N brings the schema to `PRAGMA user_version = N`.
 * Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  initial,
  processedEventsByTime,
  storedReplies,
  derivedByMessage,
  dropProcessedEventsByTime,
  typedTimesAndMilestones,
  actionExports,
  updatesAndReminders,
  alerts,
  unansweredColumn,
  truncatedAlerts,
];
