import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability/**", "node_modules/**"],
    // Adapter tests start real HTTP servers on loopback; give slow shared machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
