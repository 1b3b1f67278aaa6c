import type { Command } from "../src/core/command.ts";
import { actionAdd } from "./actionAdd.ts";
import { actionDone } from "./actionDone.ts";
import { actionEdit } from "./actionEdit.ts";
import { actionExport } from "./actionExport.ts";
import { actionList } from "./actionList.ts";
import { actionRemove } from "./actionRemove.ts";
import { actionUndo } from "./actionUndo.ts";
import { incidentList } from "./incidentList.ts";
import { incidentMark } from "./incidentMark.ts";
import { incidentRename } from "./incidentRename.ts";
import { incidentResolve } from "./incidentResolve.ts";
import { incidentRole } from "./incidentRole.ts";
import { incidentSev } from "./incidentSev.ts";
import { incidentStart } from "./incidentStart.ts";
import { incidentStatus } from "./incidentStatus.ts";
import { incidentUpdate } from "./incidentUpdate.ts";
import { postmortemAdd } from "./postmortemAdd.ts";
import { postmortemDraft } from "./postmortemDraft.ts";
import { postmortemRemove } from "./postmortemRemove.ts";
import { postmortemSet } from "./postmortemSet.ts";
import { postmortemShow } from "./postmortemShow.ts";
import { timelineAdd } from "./timelineAdd.ts";
import { timelineEdit } from "./timelineEdit.ts";
import { timelineList } from "./timelineList.ts";
import { timelineRemove } from "./timelineRemove.ts";

/** Every command users can type, listed explicitly (no import-time registration). */
export const COMMANDS: readonly Command[] = [
  incidentStart,
  incidentStatus,
  incidentSev,
  incidentRole,
  incidentRename,
  incidentUpdate,
  incidentResolve,
  incidentMark,
  incidentList,
  timelineAdd,
  timelineList,
  timelineEdit,
  timelineRemove,
  actionAdd,
  actionEdit,
  actionDone,
  actionUndo,
  actionList,
  actionRemove,
  actionExport,
  postmortemSet,
  postmortemAdd,
  postmortemShow,
  postmortemRemove,
  postmortemDraft,
];
