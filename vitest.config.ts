import { defineConfig } from "vitest/config";

// CI asks for a JSON report beside the normal output to print "N passed, M failed".
const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability/**", "node_modules/**"],
    // Adapter tests start real HTTP servers on loopback; give slow shared machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: json ? ["default", ["json", { outputFile: json }]] : ["default"],
  },
});
