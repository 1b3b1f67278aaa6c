import { randomBytes } from "node:crypto";
import { mentionsAsNames } from "../incidents/mentions.ts";
import type { TrackerStores } from "../incidents/stores.ts";
import type { ActionItem, Incident } from "../incidents/types.ts";
import type { IssueContent } from "./tracker.ts";

const INSTALL_KEY = "tracker.install-id";

/**
 * Identifies this installation in issue markers, so two Hindsights filing into one repository
 * (staging and production, two teams) never take each other's issues for their own. Kept in the
 * database: a restart keeps it, a fresh database is a new installation.
 */
export function installId(repos: TrackerStores): string {
  const known = repos.kv.get(INSTALL_KEY);
  if (known) return known;
  return repos.transaction(() => {
    const again = repos.kv.get(INSTALL_KEY);
    if (again) return again;
    const id = randomBytes(6).toString("hex");
    repos.kv.set(INSTALL_KEY, id);
    return id;
  });
}

/** Where the incident's room is, as a link where the platform has a public form of one. */
function roomOf(platform: string, roomId: string): { label: string; url?: string } {
  if (platform === "matrix")
    return {
      label: `Matrix ${roomId}`,
      url: `https://matrix.to/#/${encodeURIComponent(roomId).replace(/%3A/gi, ":")}`,
    };
  if (platform === "slack")
    return {
      label: `Slack channel ${roomId}`,
      url: `https://slack.com/app_redirect?channel=${roomId}`,
    };
  return { label: `${platform} room ${roomId}` };
}

export function issueContent(
  repos: TrackerStores,
  incident: Incident,
  item: ActionItem,
): IssueContent {
  return {
    incident: {
      ref: `INC-${incident.id}`,
      title: mentionsAsNames(incident.title),
      severity: incident.severity,
      status: incident.status,
    },
    rooms: repos.incidents.rooms(incident.id).map((r) => roomOf(r.platform, r.roomId)),
    owner: item.owner === null ? null : mentionsAsNames(item.owner),
    due: item.due,
    draft: `/postmortem draft INC-${incident.id} (or: hindsight draft INC-${incident.id})`,
  };
}
