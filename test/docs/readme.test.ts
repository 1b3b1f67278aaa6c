import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.ts";
import { envSchema } from "../../src/config.ts";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README stays true", () => {
  it("documents every command", () => {
    const missing = COMMANDS.map((c) => `/${c.group} ${c.name}`).filter(
      (c) => !README.includes(`\`${c}`),
    );
    expect(missing).toEqual([]);
  });

  it("documents every setting", () => {
    const variables = Object.keys(envSchema.shape);
    expect(variables.filter((v) => !README.includes(`\`${v}\``))).toEqual([]);
  });

  it("gives the two commands", () => {
    expect(README).toContain("npm ci && npm start");
    expect(README).toContain("npm ci && npm test");
  });
});
