import { type DecideOpening, receiveAlertGroup } from "./alerts.ts";
import { type DraftOptions, draftDataFor } from "./draftMaterial.ts";
import {
  assignRole,
  type Change,
  changeSeverity,
  changeStatus,
  type Declaration,
  declareIncident,
  markMilestone,
} from "./lifecycle.ts";
import { renameIncident } from "./rename.ts";
import { actionVerbs, messageVerbs, sectionVerbs, timelineVerbs } from "./serviceParts.ts";
import type { Stores } from "./stores.ts";
import { summaryCard } from "./summary.ts";
import { incidentMilestones } from "./timeline.ts";
import type { Incident, Milestone, ReceivedGroup, Role, Status } from "./types.ts";
import { postUpdate } from "./updates.ts";

/**
 * The domain's verbs over one set of stores: what commands and the core may do with incidents.
 * Built once at start (src/app.ts) and handed to every command; nothing here allocates per call
 * beyond what the verb itself does. Callers run verbs inside their own transaction.
 */
export function createIncidentService(stores: Stores) {
  const { incidents } = stores;
  return {
    get: (id: number): Incident | undefined => incidents.get(id),
    /** Open incidents only, unless `all`; newest first. */
    list: (options: { all: boolean } = { all: false }): Incident[] => incidents.list(options),
    /** The incident whose room this is, if any. */
    forRoom: (platform: string, room: string): Incident | undefined =>
      incidents.findByRoom(platform, room),
    /** The rooms bound to an incident on one platform, first bound first. */
    roomsOf: (incidentId: number, platform: string): string[] =>
      incidents
        .rooms(incidentId)
        .filter((r) => r.platform === platform)
        .map((r) => r.roomId),
    bindRoom: (incidentId: number, platform: string, room: string): void =>
      incidents.bindRoom(incidentId, platform, room),
    declare: (d: Declaration): Incident => declareIncident(stores, d),
    changeStatus: (incident: Incident, status: Status, change: Change & { note?: string }) =>
      changeStatus(stores, incident, status, change),
    changeSeverity: (incident: Incident, severity: number, change: Change) =>
      changeSeverity(stores, incident, severity, change),
    assignRole: (
      incident: Incident,
      role: Role,
      user: { id: string; name: string },
      change: Change,
    ) => assignRole(stores, incident, role, user, change),
    rename: (incident: Incident, title: string, change: Parameters<typeof renameIncident>[3]) =>
      renameIncident(stores, incident, title, change),
    mark: (incident: Incident, milestone: Milestone, change: Change & { note?: string }) =>
      markMilestone(stores, incident, milestone, change),
    milestones: (incident: Incident) => incidentMilestones(stores, incident),
    /** A webhook's alert group: declares, adds to the group's open incident, or writes nothing. */
    receiveAlerts: (group: ReceivedGroup, decide: DecideOpening, now: number) =>
      receiveAlertGroup(stores, group, decide, now),
    /** `/incident update`: kept as posted, on the timeline while live. */
    postUpdate: (incident: Incident, update: Parameters<typeof postUpdate>[2]) =>
      postUpdate(stores, incident, update),
    /** The summary card as it is now: what `/incident status` shows and rooms pin. */
    summaryCard: (incident: Incident, now: number) => summaryCard(stores, incident, now),
    draftData: (incident: Incident, category: string, options?: DraftOptions) =>
      draftDataFor(stores, incident, category, options),
    timeline: timelineVerbs(stores),
    actions: actionVerbs(stores),
    sections: sectionVerbs(stores),
    messages: messageVerbs(stores),
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
