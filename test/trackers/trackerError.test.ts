import { describe, expect, it } from "vitest";
import { httpError, transportError } from "../../src/trackers/trackerError.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const line = (failure: Parameters<typeof httpError>[1]) => {
  const e = httpError("GitHub", failure, NOW);
  return { message: e.message, refused: e.refused, retryAt: e.retryAt };
};

describe("one line per tracker failure", () => {
  it("GitHub's secondary rate limit (403 with retry-after) is a rate limit, not a permission problem", () => {
    expect(
      line({
        status: 403,
        headers: { "retry-after": "60" },
        body: { message: "You have exceeded a secondary rate limit." },
      }),
    ).toEqual({
      message: "GitHub rate limit reached (403): try again in 60 s; nothing changed",
      refused: true,
      retryAt: NOW + 60_000,
    });
  });

  it("a 403 without rate-limit headers is the tracker's own reason", () => {
    expect(
      line({
        status: 403,
        headers: { "x-ratelimit-remaining": "4000" },
        body: { message: "Resource not accessible by personal access token" },
      }).message,
    ).toBe("GitHub refused: 403 Resource not accessible by personal access token; nothing changed");
  });

  it("Jira's X-RateLimit-Reset (an ISO minute) is read when Retry-After is missing", () => {
    const e = httpError(
      "Jira",
      {
        status: 429,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2026-12-01T12:02Z" },
        body: "",
      },
      NOW,
    );
    expect(e.message).toBe("Jira rate limit reached (429): try again in 120 s; nothing changed");
  });

  it("a rate limit without any hint still says so", () => {
    expect(line({ status: 429, headers: {}, body: "" }).message).toBe(
      "GitHub rate limit reached (429): try again later; nothing changed",
    );
  });

  it("a 5xx is not a refusal (the issue may exist); a proxy's HTML page is named by its status", () => {
    expect(
      line({
        status: 503,
        headers: { "retry-after": "5" },
        body: "<html><body>Unavailable</body></html>",
      }),
    ).toMatchObject({
      message: "GitHub failed: 503 Service Unavailable",
      refused: false,
    });
  });

  it("GitLab's field errors and Jira's error lists are read in their own shapes", () => {
    expect(
      httpError(
        "GitLab",
        {
          status: 400,
          headers: {},
          body: { message: { title: ["can't be blank"], labels: ["is invalid"] } },
        },
        NOW,
      ).message,
    ).toBe("GitLab refused: 400 title can't be blank; labels is invalid; nothing changed");
    expect(
      httpError(
        "Jira",
        {
          status: 403,
          headers: {},
          body: { errorMessages: ["You cannot create issues here."], errors: {} },
        },
        NOW,
      ).message,
    ).toBe("Jira refused: 403 You cannot create issues here.; nothing changed");
  });

  it("no answer: a refused connection changed nothing, a reset one may have", () => {
    const refused = transportError(
      "GitLab",
      Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      false,
      15_000,
    );
    expect([refused.message, refused.refused]).toEqual([
      "GitLab cannot be reached: ECONNREFUSED",
      true,
    ]);
    const reset = transportError("GitLab", { cause: { code: "ECONNRESET" } }, false, 15_000);
    expect([reset.message, reset.refused]).toEqual(["GitLab cannot be reached: ECONNRESET", false]);
  });
});
