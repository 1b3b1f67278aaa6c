#!/usr/bin/env node
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createApp } from "./app.ts";
import { backupDatabase } from "./backup.ts";
import { ConfigError, type Env, loadConfig, redactedConfig, unknownVariables } from "./config.ts";
import { loadDotEnv } from "./env.ts";
import { isUserError, UserError } from "./errors.ts";
import { incidentLine } from "./incidents/summary.ts";
import { createLogger, type Logger } from "./logging.ts";
import { draftDataFor } from "./postmortem/fromDatabase.ts";
import { draftFileName, loadTemplate, renderDraft } from "./postmortem/render.ts";
import { startRuntime } from "./runtime.ts";
import { watchSignals } from "./shutdown.ts";

const USAGE = `Usage: hindsight [command]
  start                          run the bot (default): Slack and/or Matrix when configured, else the terminal
  draft <INC-n> [--out <file>] [--template <name|path>]
                                 write the post-mortem Markdown (default file: YYYY-MM-DD-<slug>.md; --out - for stdout)
  list [--all]                   open incidents (or all)
  backup <file>                  consistent online copy of the database
  help                           this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string", short: "o" },
      template: { type: "string" },
      all: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "start", ...rest] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const envFile = loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.HINDSIGHT_LOG_LEVEL, {
    pretty: process.stderr.isTTY === true && config.NO_COLOR === undefined,
  });
  if (envFile) log.debug({ file: envFile }, "read settings from .env");
  for (const warning of unknownVariables()) log.warn(warning);
  const arity: Record<string, number> = { start: 0, draft: 1, list: 0, backup: 1 };
  if (command in arity && rest.length > arity[command]!) {
    throw new UserError(`unexpected "${rest.slice(arity[command]).join(" ")}"\n${USAGE}`);
  }
  switch (command) {
    case "start":
      return start(config, log);
    case "draft":
      requireDatabase(config);
      return draft(config, log, rest[0], values.out, values.template);
    case "list":
      requireDatabase(config);
      return list(config, log, values.all === true);
    case "backup":
      return backup(config, log, rest[0]);
    default:
      throw new UserError(`unknown command "${command}"\n${USAGE}`);
  }
}

/** draft and list read an existing database: a mistyped path must not make a new empty one. */
function requireDatabase(config: Env): void {
  if (config.HINDSIGHT_DB !== ":memory:" && !existsSync(config.HINDSIGHT_DB)) {
    throw new UserError(
      `no database at ${config.HINDSIGHT_DB} (HINDSIGHT_DB): check the path, or run hindsight start first`,
    );
  }
}

async function start(config: Env, log: Logger): Promise<number> {
  log.info({ config: redactedConfig(config) }, "starting");
  // Checked now, not at the first /postmortem draft in chat: a typo is the operator's to fix.
  try {
    loadTemplate(config.HINDSIGHT_TEMPLATE);
  } catch (error) {
    if (error instanceof UserError) throw new ConfigError(`HINDSIGHT_TEMPLATE: ${error.message}`);
    throw error;
  }
  const signals = watchSignals(log);
  try {
    const runtime = await Promise.race([startRuntime(config, log), signals.requested]);
    if (typeof runtime === "string") {
      // Stopped while an adapter was still connecting (a platform that does not answer): no
      // command has run yet, and committed data is safe in SQLite, so leave at once rather than
      // wait for a start that may never finish.
      log.warn("stopped before the start completed");
      process.exit(0);
    }
    await Promise.race([runtime.finished, signals.requested]);
    await runtime.stop();
    return 0;
  } finally {
    signals.dispose();
  }
}

function draft(
  config: Env,
  log: Logger,
  ref: string | undefined,
  out: string | undefined,
  template: string | undefined,
): number {
  const match = /^(?:INC-?|#)?(\d+)$/i.exec(ref ?? "");
  if (!match) throw new UserError(`draft needs an incident, e.g. hindsight draft INC-7\n${USAGE}`);
  const app = createApp(config, log);
  try {
    const incident = app.repos.incidents.get(Number(match[1]));
    if (!incident) throw new UserError(`INC-${match[1]} does not exist`);
    const data = draftDataFor(app.repos, incident, config.HINDSIGHT_POSTMORTEM_CATEGORY, {
      authors: config.HINDSIGHT_DRAFT_AUTHORS,
    });
    const markdown = renderDraft(data, {
      template: loadTemplate(template ?? config.HINDSIGHT_TEMPLATE),
    });
    if (out === "-") {
      process.stdout.write(markdown);
    } else {
      const file = out ?? draftFileName(data);
      try {
        writeFileSync(file, markdown);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        throw new UserError(`cannot write ${file} (${code}); choose another place with --out`);
      }
      process.stderr.write(`wrote ${file}\n`);
    }
    return 0;
  } finally {
    app.db.close();
  }
}

function list(config: Env, log: Logger, all: boolean): number {
  const app = createApp(config, log);
  try {
    const incidents = app.repos.incidents.list({ all });
    if (incidents.length === 0)
      process.stdout.write(all ? "No incidents yet.\n" : "No open incidents.\n");
    for (const incident of incidents) process.stdout.write(`${incidentLine(incident)}\n`);
    return 0;
  } finally {
    app.db.close();
  }
}

async function backup(config: Env, log: Logger, file: string | undefined): Promise<number> {
  if (!file)
    throw new UserError(
      `backup needs a file name, e.g. hindsight backup hindsight-$(date +%F).db\n${USAGE}`,
    );
  const { pages } = await backupDatabase(config.HINDSIGHT_DB, file);
  log.debug({ file, pages }, "backup done");
  process.stderr.write(`backed up ${config.HINDSIGHT_DB} to ${file} (${pages} pages)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || isUserError(error)) {
      process.stderr.write(`hindsight: ${error.message}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof Error &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(`hindsight: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(
        `hindsight: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
