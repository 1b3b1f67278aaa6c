import pino from "pino";
import { githubTracker } from "../../src/trackers/github.ts";
import { githubError, startFakeGitHub } from "../fakes/githubApi.ts";
import { trackerContract } from "./contract.ts";

trackerContract({
  kind: "github",
  name: "GitHub",
  async start(now) {
    const gh = await startFakeGitHub({ repo: "acme/ops", token: "ghp_test", now });
    return {
      http: gh,
      tracker: ({ token, project, ...call }) =>
        githubTracker(
          { url: gh.origin, project: project ?? "acme/ops", token: token ?? "ghp_test" },
          { timeoutMs: 15_000, now, ...call },
          pino({ level: "silent" }),
        ),
      issues: () => gh.issues.map((i) => ({ title: i.title, text: i.body ?? "" })),
      close: (id) => gh.closeIssue(Number(id)),
      rateLimit: (seconds) => gh.rateLimit(seconds),
      rejectNext() {
        gh.fail({
          ...githubError(422, "Validation Failed", {
            errors: [{ resource: "Issue", code: "invalid", field: "title" }],
          }),
          method: "POST",
          times: 1,
        });
        return { status: 422, reason: /Validation Failed; title invalid/ };
      },
      badToken: { status: 401, reason: /Bad credentials/ },
      unknownProject: { status: 404, reason: /Not Found/ },
    };
  },
});
