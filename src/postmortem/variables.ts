import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import type {
  DraftActionItem,
  DraftData,
  DraftSectionItem,
  DraftTimelineEntry,
} from "../incidents/draftData.ts";
import { durationsOf } from "../incidents/milestones.ts";
import { SECTION_HEADINGS, SECTIONS, type SectionName } from "../incidents/sections.ts";
import {
  computeMilestones,
  type Durations,
  durationInWords,
  durationsLine,
  type Milestones,
} from "./durations.ts";
import { escapeBlock, escapeInline, escapeOneLine, yamlQuote, yamlScalar } from "./escape.ts";
import { durationVars, milestoneVars, rolesMarkdown } from "./milestoneVars.ts";
import { updateVars } from "./updateVars.ts";

dayjs.extend(utc);

/**
 * Builds the variables a draft template sees (documented in docs/templates.md). Every string
 * that holds user text is already escaped for Markdown, so `{{ x }}` is safe in any template;
 * the unescaped input is under `raw`. Liquid cannot tell Markdown from HTML, so its own autoescape
 * stays off and the escaping happens here.
 */

/** What belongs in a block, shown as an HTML comment when it is empty (invisible when published). */
export const HINTS: Record<SectionName | "actions" | "timeline", string> = {
  summary: "Two or three sentences: what happened, to whom, for how long.",
  impact: "What users and systems were affected, how badly and for how long.",
  "root-causes": "Why it happened: the conditions that made it possible, not who did what.",
  trigger: "The change or event that set it off.",
  detection: "How and when the problem was noticed: an alert, a customer, someone looking.",
  resolution: "What was done to mitigate the impact and then to fix it.",
  lessons: "What the team learned, and what changes because of it.",
  "went-well": "What helped: tools, practices, people.",
  "went-wrong": "What made it worse or slower.",
  lucky: "Where it could easily have been worse.",
  actions: "Follow-up work that makes a repeat less likely or less harmful (/action add).",
  timeline: "What happened when (/timeline add, or react to a message with a pin).",
};

interface SectionVars {
  name: SectionName;
  heading: string | null;
  hint: string;
  empty: boolean;
  markdown: string;
  items: { kind: string; text: string }[];
}

interface TimelineVars {
  time: string;
  date: string;
  text: string;
  kind: string;
  status: string | null;
  markdown: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Paragraph items become paragraphs, consecutive bullet items one `- ` list. */
function sectionMarkdown(items: DraftSectionItem[]): string {
  let out = "";
  let previous: DraftSectionItem["kind"] | null = null;
  for (const item of items) {
    if (item.text.trim() === "") continue;
    const text = item.kind === "bullet" ? `- ${escapeInline(item.text)}` : escapeBlock(item.text);
    if (previous !== null) out += previous === "bullet" && item.kind === "bullet" ? "\n" : "\n\n";
    out += text;
    previous = item.kind;
  }
  return out;
}

function sectionVars(name: SectionName, items: DraftSectionItem[]): SectionVars {
  const markdown = sectionMarkdown(items);
  return {
    name,
    heading: name === "summary" ? null : SECTION_HEADINGS[name],
    hint: HINTS[name],
    empty: markdown === "",
    markdown,
    items: items.map((item) => ({
      kind: item.kind,
      text: item.kind === "bullet" ? escapeInline(item.text) : escapeBlock(item.text),
    })),
  };
}

/** `#12` and `OPS-7` are safe inside link text as they are; anything else is escaped. */
const linkRef = (ref: string): string =>
  /^(#\d+|[A-Z][A-Z0-9_]*-\d+)$/.test(ref) ? ref : escapeOneLine(ref);

/** A tracker's issue URL as a Markdown link target: characters that would end it are encoded. */
function linkUrl(url: string): string {
  return url.replace(
    /[()<>\s\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

function actionVars(action: DraftActionItem) {
  const text = escapeInline(action.text);
  const owner = action.owner === null ? null : escapeOneLine(action.owner);
  const due = action.due === null ? null : escapeOneLine(action.due);
  const extra = [owner, due === null ? null : `due ${due}`].filter((part) => part !== null);
  const link = action.link
    ? { ref: linkRef(action.link.ref), url: linkUrl(action.link.url) }
    : null;
  // Only web links: a tracker answering with `javascript:` gets its ref shown, not linked.
  const tracked = !link
    ? ""
    : /^https?:\/\//i.test(link.url)
      ? ` [${link.ref}](${link.url})`
      : ` ${link.ref}`;
  // Done or not, an item keeps who owned it and when it was due: that is the record.
  const markdown = `- [${action.done ? "x" : " "}] ${text}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}${tracked}`;
  return { number: action.number, text, done: action.done, owner, due, link, markdown };
}

const DAY = 86_400_000;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/*
 * The timeline can hold 100 000 entries (the README promises a draft in under 2 s), so each line is
 * rendered here once and the default template prints the pre-joined `timeline_markdown` instead
 * of looping in Liquid (about 10 times slower). Dates are worked out per UTC day, not per entry:
 * Date#toISOString for every entry was the largest single cost.
 */
function timelineVars(entries: DraftTimelineEntry[]) {
  const list: TimelineVars[] = [];
  let multiDay = false;
  let firstDay: number | null = null;
  let day = Number.NaN;
  let date = "";
  for (const entry of entries) {
    const entryDay = Math.floor(entry.at / DAY);
    if (entryDay !== day) {
      day = entryDay;
      date = iso(entry.at).slice(0, 10);
    }
    if (firstDay === null) firstDay = day;
    else if (day !== firstDay) multiDay = true;
    const minuteOfDay = Math.floor((entry.at - day * DAY) / 60_000);
    list.push({
      time: `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`,
      date,
      text: escapeInline(entry.text),
      kind: entry.kind,
      status: entry.status ?? null,
      markdown: "",
    });
  }
  const lines: string[] = [];
  for (const e of list) {
    const stamp = multiDay ? `${e.date} ${e.time}` : e.time;
    e.markdown = e.text === "" ? `- ${stamp}` : `- ${stamp} ${e.text}`;
    lines.push(e.markdown);
  }
  return { list, multiDay, markdown: lines.join("\n") };
}

/**
 * "INC-1 (Downtime) lasted around 25 minutes." — the intro when nobody wrote a summary, with the
 * impact's duration (impact-start to impact-end); without an impact end, when it started.
 */
function generatedIntro(data: DraftData, milestones: Milestones, durations: Durations): string {
  const { incident } = data;
  const name = `${incident.ref} (${escapeOneLine(incident.title)})`;
  const when = (ms: number) => dayjs.utc(ms).format("MMMM D, YYYY [at] HH:mm [UTC]");
  if (durations.impact !== null) return `${name} lasted ${durationInWords(durations.impact)}.`;
  if (incident.resolvedAt === null) {
    return `${name} started on ${when(milestones.impactStart)} and is still ongoing.`;
  }
  return `${name} was resolved on ${when(incident.resolvedAt)}.`;
}

export function templateVariables(data: DraftData) {
  const { incident } = data;
  const started = dayjs.utc(incident.startedAt);
  const milestones = computeMilestones(data);
  const durations = durationsOf(milestones);
  const { milestones: milestoneList, milestones_markdown } = milestoneVars(milestones);
  const sections = {} as Record<SectionName, SectionVars>;
  for (const name of SECTIONS) sections[name] = sectionVars(name, data.sections[name] ?? []);
  const actions = data.actions.map(actionVars);
  const timeline = timelineVars(data.timeline);
  const roles: Record<string, string> = {};
  for (const [role, person] of Object.entries(incident.roles)) roles[role] = escapeOneLine(person);

  return {
    incident: {
      ref: incident.ref,
      number: incident.number,
      title: escapeOneLine(incident.title),
      severity: incident.severity,
      status: incident.status,
      roles,
      started_at: iso(incident.startedAt),
      declared_at: iso(incident.declaredAt),
      resolved_at: incident.resolvedAt === null ? null : iso(incident.resolvedAt),
      date: started.format("YYYY-MM-DD"),
      date_long: started.format("MMMM D, YYYY"),
    },
    front_matter: {
      title: yamlQuote(`Post-mortem: ${incident.title} on ${started.format("MMMM D, YYYY")}`),
      category: yamlScalar(data.category),
    },
    generated_intro: generatedIntro(data, milestones, durations),
    roles_markdown: rolesMarkdown(incident.roles),
    milestones: milestoneList,
    milestones_markdown,
    sections,
    section_list: SECTIONS.filter((name) => name !== "summary").map((name) => sections[name]),
    hints: HINTS,
    actions,
    actions_markdown: actions.map((action) => action.markdown).join("\n"),
    timeline: timeline.list,
    timeline_markdown: timeline.markdown,
    timeline_multi_day: timeline.multiDay,
    durations: { impact_start: iso(milestones.impactStart), ...durationVars(durations) },
    updates: updateVars(data.updates),
    durations_markdown: durationsLine(durations) ?? "",
    raw: data,
  };
}
