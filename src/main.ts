#!/usr/bin/env node
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRepositories, type Repositories } from "../storage/repositories.ts";
import { ConsoleAdapter, type RefusedLine } from "./adapters/console/consoleAdapter.ts";
import { backupDatabase } from "./backup.ts";
import { ConfigError, type Env, loadConfig, redactedConfig, unknownVariables } from "./config.ts";
import { loadDotEnv } from "./env.ts";
import { isUserError, UserError } from "./errors.ts";
import { draftDataFor } from "./incidents/draftMaterial.ts";
import { incidentLine } from "./incidents/summary.ts";
import { createLogger, type Logger } from "./logging.ts";
import { draftFileName, loadTemplate, renderDraft } from "./postmortem/render.ts";
import { slugify } from "./postmortem/slug.ts";
import { publishPost } from "./publish.ts";
import { checkReachable } from "./reachable.ts";
import { openForReading } from "./readOnlyStore.ts";
import { startRuntime } from "./runtime.ts";
import { watchSignals } from "./shutdown.ts";

const USAGE = `Usage: hindsight [command]
  start                          run the bot (default): Slack and/or Matrix when configured, else the terminal
  draft <INC-n> [--out <file>] [--template <name|path>]
                                 write the post-mortem Markdown (default file: YYYY-MM-DD-<slug>.md; --out - for stdout)
  publish <INC-n> --repo <site checkout> [--dir _posts] [--branch <name>] [--template <name|path>]
                                 commit the draft as <dir>/YYYY-MM-DD-<slug>.md on a new branch (git); push and review are yours
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
      repo: { type: "string" },
      dir: { type: "string" },
      branch: { type: "string" },
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
  const arity: Record<string, number> = { start: 0, draft: 1, list: 0, backup: 1, publish: 1 };
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
    case "publish":
      requireDatabase(config);
      return publish(config, log, rest[0], values);
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
  // In an interactive terminal session the settings block (pretty-printed on its own thread)
  // would land after the first prompt and bury it; there it is a debug line.
  const terminalOnly = !config.SLACK_BOT_TOKEN && !config.MATRIX_HOMESERVER_URL;
  const level = terminalOnly && process.stdin.isTTY === true ? "debug" : "info";
  log[level]({ config: redactedConfig(config) }, "starting");
  // Checked now, not at the first /postmortem draft in chat: a typo is the operator's to fix.
  try {
    loadTemplate(config.HINDSIGHT_TEMPLATE, { templatesDir: config.HINDSIGHT_TEMPLATES_DIR });
  } catch (error) {
    if (error instanceof UserError) throw new ConfigError(`HINDSIGHT_TEMPLATE: ${error.message}`);
    throw error;
  }
  await checkReachable(config);
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
    const terminal = runtime.adapters.find((adapter) => adapter instanceof ConsoleAdapter);
    // A piped script can be checked: exit 1 when any line was refused, the last line saying which.
    if (terminal && !process.stdin.isTTY && terminal.refused.length > 0) {
      process.stderr.write(`hindsight: ${refusedSummary(terminal.refused, terminal.lineCount)}\n`);
      return 1;
    }
    return 0;
  } finally {
    signals.dispose();
  }
}

const SHOWN_REFUSALS = 10;

/** `2 of 7 lines refused: line 3 "/incident sev 9", line 7 "/join INC-9"`, long lines shortened. */
function refusedSummary(refused: readonly RefusedLine[], total: number): string {
  const shorten = (text: string) => {
    const trimmed = text.trim();
    return trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed;
  };
  const named = refused
    .slice(0, SHOWN_REFUSALS)
    .map(({ line, text }) => `line ${line} ${JSON.stringify(shorten(text))}`);
  if (refused.length > SHOWN_REFUSALS) named.push(`and ${refused.length - SHOWN_REFUSALS} more`);
  return `${refused.length} of ${total} line${total === 1 ? "" : "s"} refused: ${named.join(", ")}`;
}

/** Runs `use` on the repositories over a read-only handle, closed afterwards. */
function reading<T>(config: Env, log: Logger, use: (repos: Repositories) => T): T {
  const db = openForReading(config.HINDSIGHT_DB, (warning) => log.warn(warning));
  try {
    return use(createRepositories(db));
  } finally {
    db.close();
  }
}

interface Draft {
  id: number;
  title: string;
  markdown: string;
  fileName: string;
}

/** The draft exactly as `hindsight draft` writes it; publish commits the same bytes. */
function draftOf(
  config: Env,
  log: Logger,
  verb: string,
  ref: string | undefined,
  template: string | undefined,
): Draft {
  const match = /^(?:INC-?|#)?(\d+)$/i.exec(ref ?? "");
  if (!match)
    throw new UserError(`${verb} needs an incident, e.g. hindsight ${verb} INC-7\n${USAGE}`);
  const source = loadTemplate(template ?? config.HINDSIGHT_TEMPLATE, {
    templatesDir: config.HINDSIGHT_TEMPLATES_DIR,
  });
  return reading(config, log, (repos) => {
    const incident = repos.incidents.get(Number(match[1]));
    if (!incident) throw new UserError(`INC-${match[1]} does not exist`);
    const data = draftDataFor(repos, incident, config.HINDSIGHT_POSTMORTEM_CATEGORY, {
      authors: config.HINDSIGHT_DRAFT_AUTHORS,
    });
    return {
      id: incident.id,
      title: incident.title,
      markdown: renderDraft(data, { template: source }),
      fileName: draftFileName(data),
    };
  });
}

function draft(
  config: Env,
  log: Logger,
  ref: string | undefined,
  out: string | undefined,
  template: string | undefined,
): number {
  const { markdown, fileName } = draftOf(config, log, "draft", ref, template);
  if (out === "-") {
    process.stdout.write(markdown);
    return 0;
  }
  const file = out ?? fileName;
  try {
    writeFileSync(file, markdown);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new UserError(`cannot write ${file} (${code}); choose another place with --out`);
  }
  process.stderr.write(`wrote ${file}\n`);
  return 0;
}

function publish(
  config: Env,
  log: Logger,
  ref: string | undefined,
  options: { repo?: string; dir?: string; branch?: string; template?: string },
): number {
  if (!options.repo)
    throw new UserError(
      `publish needs the site's checkout, e.g. hindsight publish INC-7 --repo ../website\n${USAGE}`,
    );
  const post = draftOf(config, log, "publish", ref, options.template);
  const slug = slugify(post.title) || "post-mortem";
  const result = publishPost({
    repo: options.repo,
    dir: options.dir ?? "_posts",
    branch: options.branch ?? `postmortem/inc-${post.id}-${slug}`,
    fileName: post.fileName,
    markdown: post.markdown,
    message: `Add the post-mortem of INC-${post.id}: ${post.title}\n\nDrafted by Hindsight (hindsight publish INC-${post.id}); review it before it is merged.`,
  });
  if (result.status === "already-published") {
    process.stderr.write(
      `already published: ${result.path} on ${result.branch} (${result.commit})\n`,
    );
    return 0;
  }
  process.stderr.write(
    `committed ${result.path} on the new branch ${result.branch} (${result.commit}); next: git -C ${options.repo} push -u origin ${result.branch}, then open a pull request\n`,
  );
  return 0;
}

function list(config: Env, log: Logger, all: boolean): number {
  const incidents = reading(config, log, (repos) => repos.incidents.list({ all }));
  if (incidents.length === 0)
    process.stdout.write(all ? "No incidents yet.\n" : "No open incidents.\n");
  for (const incident of incidents) process.stdout.write(`${incidentLine(incident)}\n`);
  return 0;
}

async function backup(config: Env, log: Logger, file: string | undefined): Promise<number> {
  if (!file)
    throw new UserError(
      `backup needs a file name, e.g. hindsight backup hindsight-$(date +%F).db\n${USAGE}`,
    );
  const { pages, crypto } = await backupDatabase(config.HINDSIGHT_DB, file);
  log.debug({ file, pages }, "backup done");
  process.stderr.write(`backed up ${config.HINDSIGHT_DB} to ${file} (${pages} pages)\n`);
  if (crypto)
    process.stderr.write(
      `backed up the Matrix encryption keys ${config.HINDSIGHT_DB}.crypto to ${crypto}; keep the two files together\n`,
    );
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
