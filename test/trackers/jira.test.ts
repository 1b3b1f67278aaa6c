import { jiraTracker } from "../../src/trackers/jira.ts";
import { jiraError, startFakeJira } from "../fakes/jiraApi.ts";
import { trackerContract } from "./contract.ts";

trackerContract({
  kind: "jira",
  name: "Jira",
  async start(now) {
    const jira = await startFakeJira({
      project: "OPS",
      email: "alice@example.org",
      token: "jira-token",
    });
    return {
      http: jira,
      tracker: ({ token, project, ...call }) =>
        jiraTracker(
          {
            url: jira.origin,
            project: project ?? "OPS",
            token: token ?? "alice@example.org:jira-token",
          },
          { timeoutMs: 15_000, now, ...call },
        ),
      issues: () =>
        jira.issues.map((i) => ({
          title: i.summary,
          text: `${JSON.stringify(i.description)} ${i.labels.join(" ")}`,
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
