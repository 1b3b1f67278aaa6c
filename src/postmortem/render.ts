/**
 * Renders a post-mortem draft with Liquid (the template language Jekyll users already write).
 *
 * Template variables, all documented with examples in docs/templates.md.
 * Strings holding user text are already escaped for Markdown (escape.ts); `raw` is not.
 *
 *   front_matter.title        "Post-mortem: <title> on <Month D, YYYY>" as a quoted YAML scalar
 *   front_matter.category     category as a YAML scalar
 *   incident                  ref, number, title, severity, status, roles.<role>, started_at,
 *                             declared_at, resolved_at (ISO 8601 UTC or nil), date, date_long
 *   generated_intro           one sentence with the impact's duration, for an empty summary
 *   roles_markdown            "_Commander: Adrian · comms: Bea_", "" when no role is held
 *   milestones.<name>         declared impact_start detected identified mitigated impact_end
 *                             resolved: nil or { at, date, time, label, default }
 *   milestones_markdown       "_Milestones (UTC): declared 10:00 · …_", "" when only the start
 *   sections.<name>           name, heading, hint, empty, markdown, items[] (kind, text);
 *                             names: summary impact root-causes trigger detection resolution
 *                             lessons went-well went-wrong lucky (use sections["root-causes"])
 *   section_list              the nine headed sections in the default order
 *   hints.<name>              what belongs in a block; also hints.actions, hints.timeline
 *   actions[]                 number, text, done, owner, due, markdown ("- [ ] text (owner, due …)")
 *   actions_markdown          all action lines, "" when there are none
 *   timeline[]                time (HH:MM), date (YYYY-MM-DD), text, kind, status,
 *                             markdown (the finished "- HH:MM text" line)
 *   timeline_markdown         all timeline lines, "" when there are none
 *   timeline_multi_day        true when entries span more than one UTC day (lines carry dates)
 *   durations                 impact_start, and detect/identify/mitigate/resolve/impact: nil or
 *                             { ms, text } measured from impact-start
 *   durations_markdown        "_Impact: 20 min · time to detect: 5 min · …_", "" when none
 *   raw                       the DraftData as given: unescaped text, times in ms since the epoch
 */
import { readFileSync } from "node:fs";
import { Liquid, LiquidError, type Template } from "liquidjs";
import { UserError } from "../errors.ts";
import type { DraftData } from "../incidents/draftData.ts";
import { slugify } from "./slug.ts";
import { readTemplateFile, type TemplateLookup } from "./templateFile.ts";
import { templateVariables } from "./variables.ts";

const DEFAULT_TEMPLATE_URL = new URL("./templates/default.md.liquid", import.meta.url);

const liquid = new Liquid({
  // Liquid's autoescape produces HTML entities for `&`, `'`, `"`: wrong for Markdown, and the
  // variables are escaped for Markdown already.
  outputEscape: undefined,
  // A misspelt filter (or one from a Jekyll plugin, like markdownify) fails when the template is loaded, with its line,
  // instead of silently printing the unfiltered value into every draft.
  strictFilters: true,
  ownPropertyOnly: true,
  // The draft is in UTC throughout; Liquid's date filters would otherwise use the server's zone.
  timezoneOffset: 0,
});

/*
 * Parsed templates by source text. A team renders many drafts from one or two templates, and
 * parsing costs more than rendering a small draft. Bounded so a caller passing ever-new
 * template strings cannot grow memory without limit; Map keeps insertion order, so the first
 * key is the oldest.
 */
const parsed = new Map<string, Template[]>();
const MAX_CACHED = 16;

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}

function parseCached(source: string, label: string): Template[] {
  const hit = parsed.get(source);
  if (hit) return hit;
  let templates: Template[];
  try {
    templates = liquid.parse(source);
  } catch (error) {
    if (error instanceof LiquidError) {
      throw new UserError(`${label} has an error: ${firstLine(error.message)}`);
    }
    throw error;
  }
  if (parsed.size >= MAX_CACHED) {
    const oldest = parsed.keys().next().value;
    if (oldest !== undefined) parsed.delete(oldest);
  }
  parsed.set(source, templates);
  return templates;
}

let defaultSource: string | null = null;

function readDefault(): string {
  defaultSource ??= readFileSync(DEFAULT_TEMPLATE_URL, "utf8");
  return defaultSource;
}

/**
 * Template source text by name or path: "default" is the built-in template, anything else a file
 * path (relative to `cwd`). The template is parsed here too, so a broken file fails when it is
 * loaded (at start, or on `--template`) rather than at the first draft.
 */
export function loadTemplate(nameOrPath: string, lookup: TemplateLookup | string = {}): string {
  if (nameOrPath === "default") return readDefault();
  const { path, source } = readTemplateFile(
    nameOrPath,
    typeof lookup === "string" ? { cwd: lookup } : lookup,
  );
  parseCached(source, `Template ${path}`);
  return source;
}

/** The Markdown draft. `options.template` is template source text (see loadTemplate). */
export function renderDraft(data: DraftData, options: { template?: string } = {}): string {
  const source = options.template ?? readDefault();
  const templates = parseCached(source, "The template");
  try {
    return liquid.renderSync(templates, templateVariables(data));
  } catch (error) {
    if (error instanceof LiquidError) {
      throw new UserError(`The template failed: ${firstLine(error.message)}`);
    }
    throw error;
  }
}

/** Jekyll's post file name, `YYYY-MM-DD-<slug>.md`, dated by the incident start in UTC. */
export function draftFileName(data: DraftData): string {
  const date = new Date(data.incident.startedAt).toISOString().slice(0, 10);
  return `${date}-${slugify(data.incident.title) || `inc-${data.incident.number}`}.md`;
}
