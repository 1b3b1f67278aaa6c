import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { UserError } from "./errors.ts";

/** Who commits when the checkout's git configuration names nobody. */
export const FALLBACK_AUTHOR = { name: "Hindsight", email: "hindsight@localhost" };

export interface PublishRequest {
  /** a checkout of the Jekyll site */
  repo: string;
  /** the posts folder inside it, `_posts` by default */
  dir: string;
  branch: string;
  fileName: string;
  markdown: string;
  message: string;
}

export interface PublishResult {
  /** "committed": a new commit on a new branch; "already-published": the same post is there */
  status: "committed" | "already-published";
  /** the post's path inside the checkout, with `/` */
  path: string;
  /** where the post is: the new branch, or the branch or commit that already holds it */
  branch: string;
  commit: string;
}

interface Git {
  (...args: string[]): string;
  try(...args: string[]): { ok: boolean; stdout: string; stderr: string };
}

function gitIn(repo: string): Git {
  const call = (args: string[]) => {
    const result = spawnSync("git", ["-C", repo, ...args], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code;
      throw new UserError(
        code === "ENOENT"
          ? "publish needs git, and there is none on PATH"
          : `cannot run git: ${result.error.message}`,
      );
    }
    return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
  };
  const git = ((...args: string[]) => {
    const result = call(args);
    if (!result.ok) throw new UserError(`git ${args[0]} failed: ${lastLine(result.stderr)}`);
    return result.stdout;
  }) as Git;
  git.try = (...args: string[]) => call(args);
  return git;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1]?.trim() || "no reason given";
}

/**
 * Commits the post as `<dir>/<fileName>` on a new branch of the site's checkout and leaves the
 * checkout on that branch; pushing and review stay with the team. Every check comes before the
 * first change, so a refusal leaves the checkout exactly as it was; a commit that fails (a hook
 * says no) is rolled back to the branch the checkout was on.
 */
export function publishPost(request: PublishRequest): PublishResult {
  const { repo, branch, markdown } = request;
  const dir = postsFolder(request.dir);
  if (!isDirectory(repo)) throw new UserError(`--repo ${repo} is not a directory`);
  const git = gitIn(repo);
  if (!git.try("rev-parse", "--show-toplevel").ok)
    throw new UserError(`${repo} is not a git checkout; clone the site there first`);
  if (!git.try("rev-parse", "--verify", "-q", "HEAD").ok)
    throw new UserError(`${repo} has no commit yet; commit the site first`);
  const dirty = git("status", "--porcelain").split("\n").filter(Boolean);
  if (dirty.length > 0)
    throw new UserError(
      `${repo} has uncommitted changes (${dirty.length} file${dirty.length === 1 ? "" : "s"}, see git status); commit or stash them first`,
    );
  if (!git.try("check-ref-format", "--branch", branch).ok)
    throw new UserError(`"${branch}" is not a valid branch name; choose another with --branch`);

  const path = dir === "." ? request.fileName : `${dir}/${request.fileName}`;
  const head = git("rev-parse", "--short", "HEAD").trim();
  const current = git.try("symbolic-ref", "-q", "--short", "HEAD");
  const here = current.ok ? current.stdout.trim() : head;
  const published = git.try("show", `HEAD:./${path}`);
  if (published.ok) {
    if (published.stdout === markdown)
      return { status: "already-published", path, branch: here, commit: head };
    throw new UserError(
      `${path} already exists on ${here} with other content; not overwriting it (edit it there, or choose another --dir)`,
    );
  }
  if (git.try("rev-parse", "--verify", "-q", `refs/heads/${branch}`).ok) {
    const onBranch = git.try("show", `refs/heads/${branch}:./${path}`);
    if (onBranch.ok && onBranch.stdout === markdown) {
      const commit = git("rev-parse", "--short", `refs/heads/${branch}`).trim();
      return { status: "already-published", path, branch, commit };
    }
    throw new UserError(
      `branch ${branch} already exists ${onBranch.ok ? "with another version of this post" : "without this post"}; name another with --branch`,
    );
  }

  git("switch", "-q", "-c", branch);
  const created = mkdirSync(join(repo, dir), { recursive: true });
  try {
    writeFileSync(join(repo, path), markdown);
    git("add", "--", `./${path}`);
    git(...identity(git), "commit", "-q", "-m", request.message);
  } catch (error) {
    rmSync(join(repo, created ?? path), { recursive: true, force: true });
    git.try("reset", "-q");
    git.try("switch", "-q", ...(current.ok ? [here] : ["--detach", here]));
    git.try("branch", "-q", "-D", branch);
    throw error;
  }
  return { status: "committed", path, branch, commit: git("rev-parse", "--short", "HEAD").trim() };
}

/** The checkout's own identity (its config, or the user's), else Hindsight's. */
function identity(git: Git): string[] {
  const options: string[] = [];
  if (!git.try("config", "user.name").ok) options.push("-c", `user.name=${FALLBACK_AUTHOR.name}`);
  if (!git.try("config", "user.email").ok)
    options.push("-c", `user.email=${FALLBACK_AUTHOR.email}`);
  return options;
}

/** `_posts`, `blog/_posts`: inside the checkout, written with `/`, never `..`. */
function postsFolder(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((part) => part !== "" && part !== ".");
  if (isAbsolute(dir) || parts.includes(".."))
    throw new UserError(`--dir names a folder inside the site checkout, like _posts; not "${dir}"`);
  return parts.length === 0 ? "." : parts.join("/");
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
