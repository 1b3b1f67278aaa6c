import { jiraTracker } from "../../src/trackers/jira.ts";
import { jiraError, startFakeJira } from "../fakes/jiraApi.ts";
import { trackerContract } from "./contract.ts";

// Jira Data Center and Server: a personal access token (bearer) and REST API v2, whose
// descriptions are wiki-markup text and whose search is /rest/api/2/search.
trackerContract({
  kind: "jira",
  name: "Jira",
  async start(now) {
    const jira = await startFakeJira({ project: "OPS", email: "-", token: "pat-secret", api: 2 });
    return {
      http: jira,
      tracker: ({ token, project, ...call }) =>
        jiraTracker(
          { url: jira.origin, project: project ?? "OPS", token: token ?? "pat-secret" },
          { timeoutMs: 15_000, now, ...call },
        ),
      issues: () =>
        jira.issues.map((i) => ({
          title: i.summary,
          text: `${String(i.description)} ${i.labels.join(" ")}`,
        })),
      close: (key) => jira.resolve(key),
      rateLimit: (seconds) => jira.rateLimit(seconds, now()),
      rejectNext() {
        jira.fail({
          ...jiraError(400, [], { summary: "You must specify a summary of the issue." }),
          method: "POST",
          times: 1,
        });
        return { status: 400, reason: /summary You must specify a summary of the issue\./ };
      },
      badToken: { status: 401, reason: /Client must be authenticated to access this resource\./ },
      unknownProject: {
        status: 400,
        reason: /The value 'NOPE' does not exist for the field 'project'\./,
      },
    };
  },
});
