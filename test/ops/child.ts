import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

const running = new Set<ChildProcess>();

/** For afterEach: a failed test must not leave its bot running. */
export function killChildren(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves once the text seen so far satisfies the test (or rejects when the child exits) */
  waitFor(stream: "stdout" | "stderr", test: (text: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** the JSON log lines on stderr */
  logs(): Record<string, unknown>[];
}

/**
 * Runs a TypeScript file with this test run's Node 24 (type stripping) in its own directory, with
 * only the variables given: a developer's own HINDSIGHT_/SLACK_ settings never leak in.
 */
export function run(file: string, args: string[], env: Record<string, string>, cwd: string): Child {
  const child = spawn(process.execPath, [file, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  const out = { stdout: "", stderr: "" };
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    out.stdout += chunk.toString();
    notify();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    out.stderr += chunk.toString();
    notify();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      done = true;
      running.delete(child);
      notify();
      resolve({ code, signal });
    }),
  );
  const waitFor = (stream: "stdout" | "stderr", test: (text: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (test(out[stream])) resolve(out[stream]);
        else if (done)
          reject(
            new Error(
              `exited before expected output\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`,
            ),
          );
        else waiters.push(check);
      };
      check();
    });
  return {
    process: child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitFor,
    exited,
    logs: () =>
      out.stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The port the ops server logged it listens on. */
export async function listeningPort(child: Child): Promise<number> {
  await child.waitFor("stderr", (text) => text.includes("health and metrics listening"));
  const line = child.logs().find((l) => l.msg === "health and metrics listening");
  return Number(line?.port);
}
