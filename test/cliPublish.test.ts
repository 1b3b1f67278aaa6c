import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "hindsight-publish-"));
const DB = join(root, "hindsight.db");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** git and the CLI see only the test repository's own configuration, never the machine's. */
const GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

function cli(args: string[], input = "") {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    cwd: root,
    env: {
      ...process.env,
      ...GIT_ENV,
      HINDSIGHT_DB: DB,
      HINDSIGHT_LOG_LEVEL: "warn",
      NO_COLOR: "1",
    },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
  }).trim();
}

let sites = 0;
/** A Jekyll site checkout with one commit; `user` configures an identity in the repository. */
function site(user = true): string {
  const repo = join(root, `site-${++sites}`);
  mkdirSync(join(repo, "_posts"), { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  if (user) {
    git(repo, "config", "user.name", "Alice Example");
    git(repo, "config", "user.email", "alice@example.org");
  }
  writeFileSync(join(repo, "_config.yml"), "title: Status\n");
  writeFileSync(join(repo, "_posts", "2022-01-01-older.md"), "an older post\n");
  git(repo, "add", ".");
  git(repo, "-c", "user.name=Setup", "-c", "user.email=setup@example.org", "commit", "-qm", "site");
  return repo;
}

/** Everything a refusal must leave alone: refs, the checked-out branch, index and files. */
function state(repo: string) {
  return {
    refs: git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
    head: git(repo, "symbolic-ref", "HEAD"),
    status: git(repo, "status", "--porcelain", "--untracked-files=all"),
    files: readdirSync(repo, { recursive: true })
      .map(String)
      .filter((f) => !f.startsWith(".git"))
      .sort(),
  };
}

const POST = "_posts/2023-02-23-downtime.md";
const BRANCH = "postmortem/inc-1-downtime";
let draft = "";

beforeAll(() => {
  const script = [
    '/incident start Downtime --sev 2 --at "2023-02-23 10:00 UTC"',
    "/timeline add 10:05 noticed a problem with the webserver",
    "impact: certificate errors for 20 minutes",
    '/incident resolve --at "2023-02-23 10:25 UTC"',
  ].join("\n");
  expect(cli(["start"], script).status).toBe(0);
  draft = cli(["draft", "INC-1", "--out", "-"]).stdout;
  expect(draft).toContain('title: "Post-mortem: Downtime on February 23, 2023"');
});

describe("hindsight publish", () => {
  it("commits exactly the draft as _posts/YYYY-MM-DD-<slug>.md on a new branch, as the checkout's user", () => {
    const repo = site();
    const before = git(repo, "rev-parse", "HEAD");
    const result = cli(["publish", "INC-1", "--repo", repo]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      `committed ${POST} on the new branch ${BRANCH} (${git(repo, "rev-parse", "--short", "HEAD")}); next: git -C ${repo} push -u origin ${BRANCH}, then open a pull request`,
    );
    expect(readFileSync(join(repo, POST), "utf8")).toBe(draft);
    expect(git(repo, "show", `${BRANCH}:${POST}`)).toBe(draft.trimEnd());
    // the checkout is on the new branch, clean, one commit ahead of where it was
    expect(git(repo, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "rev-parse", "HEAD~1")).toBe(before);
    expect(git(repo, "rev-parse", "main")).toBe(before);
    expect(git(repo, "diff", "--name-status", "HEAD~1", "HEAD")).toBe(`A\t${POST}`);
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s")).toBe(
      "Alice Example <alice@example.org>|Alice Example <alice@example.org>|Add the post-mortem of INC-1: Downtime",
    );
    expect(git(repo, "log", "-1", "--format=%b")).toBe(
      "Drafted by Hindsight (hindsight publish INC-1); review it before it is merged.",
    );
  });

  it("commits as Hindsight <hindsight@localhost> when no git configuration names anyone", () => {
    const repo = site(false);
    expect(cli(["publish", "#1", "--repo", repo]).status).toBe(0);
    expect(git(repo, "log", "-1", "--format=%an <%ae>")).toBe("Hindsight <hindsight@localhost>");
  });

  it("takes another folder and branch name", () => {
    const repo = site();
    const result = cli([
      "publish",
      "INC-1",
      "--repo",
      repo,
      "--dir",
      "blog/_posts",
      "--branch",
      "pm-1",
    ]);
    expect(result.status).toBe(0);
    expect(git(repo, "symbolic-ref", "--short", "HEAD")).toBe("pm-1");
    expect(readFileSync(join(repo, "blog/_posts/2023-02-23-downtime.md"), "utf8")).toBe(draft);
  });

  it("says the same post is already published, and changes nothing", () => {
    const repo = site();
    expect(cli(["publish", "INC-1", "--repo", repo]).status).toBe(0);
    const onBranch = state(repo);
    const again = cli(["publish", "INC-1", "--repo", repo]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(
      new RegExp(`^already published: ${POST} on ${BRANCH} \\(\\w+\\)$`),
    );
    expect(state(repo)).toEqual(onBranch);
    // back on main, the branch still holds the same post: nothing to do either
    git(repo, "switch", "-q", "main");
    const onMain = state(repo);
    expect(cli(["publish", "INC-1", "--repo", repo]).stderr).toMatch(
      /^already published: .* on postmortem\//,
    );
    expect(state(repo)).toEqual(onMain);
  });

  const refusals: [string, () => string, string[], RegExp][] = [
    [
      "a dirty checkout",
      () => {
        const repo = site();
        writeFileSync(join(repo, "notes.txt"), "work in progress\n");
        return repo;
      },
      [],
      /has uncommitted changes \(1 file, see git status\); commit or stash them first$/,
    ],
    [
      "a different post already there",
      () => {
        const repo = site();
        writeFileSync(join(repo, POST), "edited by hand after publishing\n");
        git(repo, "add", ".");
        git(repo, "commit", "-qm", "hand edit");
        return repo;
      },
      [],
      new RegExp(`${POST} already exists on main with other content; not overwriting it`),
    ],
    [
      "a branch of that name without the post",
      () => {
        const repo = site();
        git(repo, "branch", BRANCH);
        return repo;
      },
      [],
      new RegExp(`branch ${BRANCH} already exists without this post; name another with --branch$`),
    ],
    [
      "a folder outside the checkout",
      () => site(),
      ["--dir", "../elsewhere"],
      /--dir names a folder inside the site checkout/,
    ],
    [
      "an invalid branch name",
      () => site(),
      ["--branch", "bad..name"],
      /"bad\.\.name" is not a valid branch name/,
    ],
    [
      "an unknown template",
      () => site(),
      ["--template", "nonesuch"],
      /no template named "nonesuch"/,
    ],
  ];
  for (const [what, make, extra, message] of refusals) {
    it(`refuses ${what} in one line with exit 2, leaving the checkout as it was`, () => {
      const checkout = make();
      const before = state(checkout);
      const post = readFileSync(join(checkout, "_posts", "2022-01-01-older.md"), "utf8");
      const result = cli(["publish", "INC-1", "--repo", checkout, ...extra]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^hindsight: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split("\n")).toHaveLength(1);
      expect(state(checkout)).toEqual(before);
      expect(readFileSync(join(checkout, "_posts", "2022-01-01-older.md"), "utf8")).toBe(post);
    });
  }

  it("refuses a folder that is not a git checkout, creating nothing in it", () => {
    const plain = join(root, "plain");
    mkdirSync(plain, { recursive: true });
    const result = cli(["publish", "INC-1", "--repo", plain]);
    expect(result).toMatchObject({
      status: 2,
      stderr: `hindsight: ${plain} is not a git checkout; clone the site there first`,
    });
    expect(readdirSync(plain)).toEqual([]);
  });

  it("refuses an existing branch holding another version of the post", () => {
    const repo = site();
    git(repo, "switch", "-q", "-c", BRANCH);
    writeFileSync(join(repo, POST), "an earlier draft\n");
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "earlier draft");
    git(repo, "switch", "-q", "main");
    const before = state(repo);
    const result = cli(["publish", "INC-1", "--repo", repo]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `hindsight: branch ${BRANCH} already exists with another version of this post; name another with --branch`,
    );
    expect(state(repo)).toEqual(before);
  });

  it("rolls back when the commit itself fails (a hook says no)", () => {
    const repo = site();
    writeFileSync(
      join(repo, ".git", "hooks", "pre-commit"),
      "#!/bin/sh\necho 'posts need review' >&2\nexit 1\n",
      {
        mode: 0o755,
      },
    );
    const before = state(repo);
    const result = cli(["publish", "INC-1", "--repo", repo]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("hindsight: git commit failed: posts need review");
    expect(state(repo)).toEqual(before);
  });

  it("names what is missing", () => {
    expect(cli(["publish", "INC-1"]).stderr.split("\n")[0]).toBe(
      "hindsight: publish needs the site's checkout, e.g. hindsight publish INC-7 --repo ../website",
    );
    const repo = site();
    expect(cli(["publish", "--repo", repo]).stderr.split("\n")[0]).toBe(
      "hindsight: publish needs an incident, e.g. hindsight publish INC-7",
    );
    expect(cli(["publish", "INC-9", "--repo", repo])).toMatchObject({
      status: 2,
      stderr: "hindsight: INC-9 does not exist",
    });
  });
});
