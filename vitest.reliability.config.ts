import { defineConfig } from "vitest/config";

// CI asks for a JSON report beside the normal output to print "N passed, M failed".
const json = process.env.VITEST_JSON;

/**
 * The reliability suite (`npm run test:reliability`, also run by .ci/run): crash, replay, fuzz and
 * disk-trouble tests against the real bot. Slower than unit tests, so kept out of `npm test`, but
 * sized to finish in a few minutes on two cores.
 */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    globalSetup: ["test/reliability/globalSetup.ts"],
    // Whole-suite budgets, not performance limits: a hung child process must not hang CI.
    testTimeout: 240_000,
    hookTimeout: 60_000,
    reporters: json ? ["default", ["json", { outputFile: json }]] : ["default"],
  },
});
