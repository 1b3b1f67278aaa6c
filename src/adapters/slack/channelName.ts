import { slugify } from "../../postmortem/slug.ts";

/** Slack channel names: at most 80 characters of lowercase letters, digits, `-` and `_`. */
const MAX = 80;
/** room for a "-99" collision suffix */
const SUFFIX_ROOM = 3;

/** `inc-<n>-<slug>` from an incident's number and title; `inc-<n>` when the title has no letters. */
export function incidentChannelName(id: number, title: string): string {
  const prefix = `inc-${id}`;
  const slug = slugify(title, MAX - SUFFIX_ROOM - prefix.length - 1);
  return slug === "" ? prefix : `${prefix}-${slug}`;
}

/** The n-th candidate when a name is taken: the name, then name-2, name-3, … */
export function candidateName(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}-${attempt}`;
}
