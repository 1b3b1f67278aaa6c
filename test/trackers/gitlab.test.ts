import { gitlabTracker } from "../../src/trackers/gitlab.ts";
import { gitlabError, startFakeGitLab } from "../fakes/gitlabApi.ts";
import { trackerContract } from "./contract.ts";

trackerContract({
  kind: "gitlab",
  name: "GitLab",
  async start(now) {
    const gl = await startFakeGitLab({
      project: "acme/ops",
      projectId: 42,
      token: "glpat-test",
      now,
    });
    return {
      http: gl,
      tracker: ({ token, project, ...call }) =>
        gitlabTracker(
          { url: gl.origin, project: project ?? "acme/ops", token: token ?? "glpat-test" },
          { timeoutMs: 15_000, now, ...call },
        ),
      issues: () => gl.issues.map((i) => ({ title: i.title, text: i.description ?? "" })),
      close: (id) => gl.closeIssue(Number(id)),
      rateLimit: (seconds) => gl.rateLimit(seconds),
      rejectNext() {
        gl.fail({
          ...gitlabError(422, { title: ["is too long (maximum is 255 characters)"] }),
          method: "POST",
          times: 1,
        });
        return { status: 422, reason: /title is too long \(maximum is 255 characters\)/ };
      },
      badToken: { status: 401, reason: /401 Unauthorized/ },
      unknownProject: { status: 404, reason: /404 Project Not Found/ },
    };
  },
});
