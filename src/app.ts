import { COMMANDS } from "../commands/index.ts";
import { type Db, openDatabase } from "../storage/database.ts";
import { createRepositories, type Repositories } from "../storage/repositories.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Env } from "./config.ts";
import { type Bot, createBot, type Observer } from "./core/bot.ts";
import type { Settings } from "./core/command.ts";
import { createRegistry } from "./core/registry.ts";
import { UserError } from "./errors.ts";
import { createIncidentService } from "./incidents/service.ts";
import type { Logger } from "./logging.ts";
import { TRACKER_NAMES } from "./trackers/tracker.ts";

export interface App {
  db: Db;
  repos: Repositories;
  bot: Bot;
  settings: Settings;
}

export function settingsFrom(config: Env): Settings {
  return {
    timezone: config.HINDSIGHT_TIMEZONE,
    category: config.HINDSIGHT_POSTMORTEM_CATEGORY,
    template: config.HINDSIGHT_TEMPLATE,
    templatesDir: config.HINDSIGHT_TEMPLATES_DIR,
    createRooms: config.HINDSIGHT_CREATE_ROOMS,
    draftAuthors: config.HINDSIGHT_DRAFT_AUTHORS,
    ...(config.HINDSIGHT_TRACKER
      ? {
          tracker: {
            kind: config.HINDSIGHT_TRACKER,
            name: TRACKER_NAMES[config.HINDSIGHT_TRACKER],
          },
        }
      : {}),
  };
}

/** The database, or one line naming the setting when it cannot be opened (no stack trace). */
function openStore(file: string) {
  try {
    return openDatabase(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`cannot open the database ${file} (HINDSIGHT_DB): ${reason}`);
  }
}

/** Database, repositories, registry and bot: everything but the chat front ends. */
export function createApp(
  config: Env,
  log: Logger,
  options: { clock?: Clock; observer?: Observer } = {},
): App {
  const db = openStore(config.HINDSIGHT_DB);
  const repos = createRepositories(db);
  const settings = settingsFrom(config);
  const registry = createRegistry(COMMANDS);
  const bot = createBot(
    registry,
    {
      stores: repos,
      incidents: createIncidentService(repos),
      clock: options.clock ?? systemClock,
      log,
      settings,
    },
    options.observer,
  );
  return { db, repos, bot, settings };
}
