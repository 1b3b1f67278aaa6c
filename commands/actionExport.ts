import { defineCommand } from "../src/core/command.ts";
import { reply } from "../src/core/reply.ts";
import { UserError } from "../src/errors.ts";
import type { ActionItem } from "../src/incidents/types.ts";
import { actionByNumber } from "./actionItem.ts";

const exportable = (a: ActionItem) => a.doneAt === null && a.exportState !== "exported";

/**
 * Records the intent only: the chosen items are marked pending in this command's transaction,
 * and the `export-actions` effect files them once it is committed (src/trackers/exporter.ts).
 * The network never runs inside a database transaction.
 */
export const actionExport = defineCommand({
  group: "action",
  name: "export",
  summary: "file action items as issues in the team's tracker and keep the link",
  usage: "<n|all>",
  examples: ["/action export 2", "/action export all"],
  incident: "required",
  parse(input, ctx) {
    const word = input.text.trim().toLowerCase();
    if (word === "all") return { all: true as const };
    // "al", "alll", "everything" typed for all: refused with the word, never read as a number.
    if (/^(a?l{1,4}s?|everything)$/.test(word)) throw new UserError("did you mean all?");
    return { all: false as const, item: actionByNumber(input, ctx) };
  },
  run(args, ctx) {
    const tracker = ctx.settings.tracker;
    if (!tracker)
      throw new UserError(
        "no issue tracker is set up: the operator sets HINDSIGHT_TRACKER, HINDSIGHT_TRACKER_PROJECT and HINDSIGHT_TRACKER_TOKEN",
      );
    const incident = ctx.incident;
    let items: ActionItem[];
    if (args.all) {
      items = ctx.incidents.actions.list(incident).filter(exportable);
      if (items.length === 0)
        return reply.caller(
          `Nothing to export: INC-${incident.id} has no open action item that is not in a tracker yet`,
        );
    } else {
      const { item } = args;
      if (item.link)
        return reply.caller(
          `Action ${item.number} is already exported: ${item.link.ref} ${item.link.url}`,
        );
      if (item.exportState === "exported")
        return reply.caller(`Action ${item.number} is already exported`);
      if (item.doneAt !== null)
        throw new UserError(`action ${item.number} is done; only open items are exported`);
      items = [item];
    }
    for (const item of items) ctx.incidents.actions.markExportPending(item, ctx.now);
    const numbers = items.map((i) => i.number);
    const what =
      numbers.length === 1
        ? `action ${numbers[0]}`
        : `${numbers.length} action items (${numbers.join(", ")})`;
    return reply.channel(`Exporting ${what} to ${tracker.name}…`, {
      effects: [{ kind: "export-actions", incidentId: incident.id, numbers }],
    });
  },
});
