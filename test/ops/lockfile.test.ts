import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { missingOptionalEntries } from "../../scripts/fix-lockfile.ts";

describe("package-lock.json", () => {
  it("lists every platform package, or `npm ci` refuses it on a clean machine (run npm run fix-lockfile)", () => {
    const lock = JSON.parse(
      readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8"),
    );
    expect(Object.keys(missingOptionalEntries(lock.packages))).toEqual([]);
  });

  it("infers a missing platform package's os, cpu and libc from its name", () => {
    const added = missingOptionalEntries({
      "node_modules/tool": {
        dev: true,
        optionalDependencies: {
          "@t/cli-darwin-arm64": "1.0.0",
          "@t/cli-linux-x64-musl": "1.0.0",
          "not-a-platform": "1.0.0",
        },
      },
    });
    expect(added).toEqual({
      "node_modules/@t/cli-darwin-arm64": {
        version: "1.0.0",
        resolved: "https://registry.npmjs.org/@t/cli-darwin-arm64/-/cli-darwin-arm64-1.0.0.tgz",
        dev: true,
        optional: true,
        os: ["darwin"],
        cpu: ["arm64"],
      },
      "node_modules/@t/cli-linux-x64-musl": {
        version: "1.0.0",
        resolved: "https://registry.npmjs.org/@t/cli-linux-x64-musl/-/cli-linux-x64-musl-1.0.0.tgz",
        dev: true,
        optional: true,
        os: ["linux"],
        cpu: ["x64"],
        libc: ["musl"],
      },
    });
  });
});
