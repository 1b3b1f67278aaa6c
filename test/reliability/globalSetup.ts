import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * One seed for the whole run, printed first so a failure can be replayed with
 * RELIABILITY_SEED=<seed> npm run test:reliability; the suites' figures are printed last.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-figures-"));
  const figuresFile = join(dir, "figures.jsonl");
  const given = Number(process.env.RELIABILITY_SEED);
  const seed = Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`reliability seed ${seed} (replay: RELIABILITY_SEED=${seed})\n`);
  project.provide("figuresFile", figuresFile);
  project.provide("seed", seed);
  return () => {
    let text = "";
    try {
      text = readFileSync(figuresFile, "utf8");
    } catch {
      // no suite got far enough to record anything; the test report says why
    }
    const lines = text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { suite: string; figures: Record<string, unknown> })
      .map(
        (r) =>
          `  ${r.suite}: ${Object.entries(r.figures)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`,
      );
    process.stdout.write(`\nreliability figures (seed ${seed}):\n${lines.join("\n")}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
