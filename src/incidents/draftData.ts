import type { SectionItemKind, SectionName } from "./sections.ts";
import type { Milestone, TimelineKind } from "./types.ts";

/**
 * Everything the draft renderer needs, read from the database by the caller. Times are
 * milliseconds since the epoch (UTC). The renderer never touches storage.
 */
export interface DraftIncident {
  number: number;
  /** "INC-7" */
  ref: string;
  title: string;
  severity: number | null;
  status: "investigating" | "identified" | "monitoring" | "resolved";
  /** Start of the incident: `--at` when back-dated, else when it was declared. */
  startedAt: number;
  /** When someone typed `/incident start`. */
  declaredAt: number;
  resolvedAt: number | null;
  /** role name ("commander", "comms", "scribe") → display name of the user (chat names only) */
  roles: Record<string, string>;
}

export interface DraftSectionItem {
  kind: SectionItemKind;
  text: string;
}

export interface DraftActionItem {
  number: number;
  text: string;
  done: boolean;
  owner: string | null;
  /** YYYY-MM-DD */
  due: string | null;
  /** the issue in the team's tracker, once exported (`/action export`) */
  link?: { ref: string; url: string } | null;
}

export type { TimelineKind };

export interface DraftTimelineEntry {
  at: number;
  text: string;
  kind: TimelineKind;
  /** set on status entries: the status the incident moved to */
  status?: string | null;
  /** set on `/incident mark` entries: the milestone they set */
  milestone?: Milestone | null;
}

/** A status update (`/incident update`) as it was posted. */
export interface DraftUpdate {
  at: number;
  text: string;
  author: string;
}

export interface DraftData {
  incident: DraftIncident;
  sections: Record<SectionName, DraftSectionItem[]>;
  actions: DraftActionItem[];
  /** Sorted by time; equal times in the order they were recorded. */
  timeline: DraftTimelineEntry[];
  /** Status updates, oldest first (absent: none). */
  updates?: DraftUpdate[];
  /** Jekyll `category:` (HINDSIGHT_POSTMORTEM_CATEGORY). */
  category: string;
}
