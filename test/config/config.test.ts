import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigError,
  envSchema,
  loadConfig,
  redactedConfig,
  unknownVariables,
} from "../../src/config.ts";
import { loadDotEnv } from "../../src/env.ts";

const exampleText = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
const example = parseEnv(exampleText);
/** Settings shown commented out ("# NAME=value"): documented, but not set by copying the file. */
const commentedOut = [...exampleText.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);

describe(".env.example", () => {
  it("is accepted by the real schema as it stands, and turns on no platform and no port when copied", () => {
    const config = loadConfig(example);
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(config.MATRIX_HOMESERVER_URL).toBeUndefined();
    // a terminal start opens nothing on the network (the Docker image sets its own 8080)
    expect(config.HINDSIGHT_HTTP_PORT).toBeUndefined();
    expect(config.HINDSIGHT_HTTP_HOST).toBeUndefined();
  });

  it("is accepted with every commented-out setting switched on, fake platform values included", () => {
    const config = loadConfig(parseEnv(exampleText.replace(/^# ([A-Z][A-Z0-9_]+=)/gm, "$1")));
    expect(config.SLACK_BOT_TOKEN).toMatch(/^xoxb-/);
    expect(config.MATRIX_HOMESERVER_URL).toBe("https://matrix.example.org");
    expect(config.HINDSIGHT_HTTP_PORT).toBe(8080);
  });

  it("lists every variable the schema reads, and nothing it does not", () => {
    expect([...Object.keys(example), ...commentedOut].sort()).toEqual(
      Object.keys(envSchema.shape).sort(),
    );
    expect(unknownVariables(example)).toEqual([]);
  });
});

describe("loadConfig", () => {
  it("reports every problem at once, one line each, naming the variable", () => {
    const attempt = () =>
      loadConfig({
        HINDSIGHT_TIMEZONE: "Mars/Olympus_Mons",
        HINDSIGHT_HTTP_PORT: "99999",
        HINDSIGHT_LOG_LEVEL: "loud",
        SLACK_BOT_TOKEN: "not-a-token",
        MATRIX_HOMESERVER_URL: "matrix.example.org",
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const problems = message.split("\n").filter((line) => line.startsWith("  - "));
    expect(problems.map((line) => line.split(" ")[3])).toEqual(
      expect.arrayContaining([
        "HINDSIGHT_TIMEZONE",
        "HINDSIGHT_HTTP_PORT",
        "HINDSIGHT_LOG_LEVEL",
        "SLACK_BOT_TOKEN",
        "MATRIX_HOMESERVER_URL",
        "MATRIX_ACCESS_TOKEN",
      ]),
    );
    expect(message).not.toContain("not-a-token");
  });

  it("treats an empty value as unset, so a copied .env.example line can be blanked", () => {
    const config = loadConfig({ SLACK_API_URL: "", HINDSIGHT_HTTP_PORT: "" });
    expect(config.SLACK_API_URL).toBeUndefined();
    expect(config.HINDSIGHT_HTTP_PORT).toBeUndefined();
    const blanked = loadConfig({
      HINDSIGHT_DB: "",
      HINDSIGHT_TIMEZONE: "",
      HINDSIGHT_LOG_LEVEL: "",
      HINDSIGHT_TEMPLATE: "",
      HINDSIGHT_TEMPLATES_DIR: "",
      HINDSIGHT_POSTMORTEM_CATEGORY: "",
    });
    expect(blanked).toMatchObject({
      HINDSIGHT_DB: "./data/hindsight.db",
      HINDSIGHT_TIMEZONE: "UTC",
      HINDSIGHT_LOG_LEVEL: "info",
      HINDSIGHT_TEMPLATE: "default",
      HINDSIGHT_TEMPLATES_DIR: "./templates",
      HINDSIGHT_POSTMORTEM_CATEGORY: "incidents",
    });
  });

  it("leaves the Docker image's own settings alone when .env.example is used as --env-file", () => {
    const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
    const imageEnv = Object.fromEntries(
      [...dockerfile.matchAll(/\b(HINDSIGHT_[A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(imageEnv.HINDSIGHT_DB).toBe("/data/hindsight.db");
    const overridden = Object.keys(imageEnv).filter(
      (name) => name in example && example[name] !== imageEnv[name],
    );
    expect(overridden).toEqual([]);
  });
});

describe("unknownVariables (typo guard)", () => {
  it("warns about our prefixes only, suggesting the name that was probably meant", () => {
    expect(
      unknownVariables({
        HINDSIGHT_TIMEZNE: "Europe/Berlin",
        SLACK_BOT_TOKN: "xoxb-1",
        MATRIX_HOMESERVER: "https://m.example.org",
        HINDSIGHT_FAVOURITE_COLOUR: "green",
        HINDSIGHT_DB: "/data/h.db",
        PATH: "/usr/bin",
        SLACKWARE: "15",
      }),
    ).toEqual([
      "unknown variable HINDSIGHT_FAVOURITE_COLOUR",
      "unknown variable HINDSIGHT_TIMEZNE (did you mean HINDSIGHT_TIMEZONE?)",
      "unknown variable MATRIX_HOMESERVER (did you mean MATRIX_HOMESERVER_URL?)",
      "unknown variable SLACK_BOT_TOKN (did you mean SLACK_BOT_TOKEN?)",
    ]);
  });

  it("never repeats the value, which may be a secret", () => {
    const warnings = unknownVariables({ SLACK_SIGNING_SECRT: "s3cr3t-value" });
    expect(warnings.join("\n")).not.toContain("s3cr3t-value");
  });
});

describe("redactedConfig", () => {
  it("keeps settings readable and hides every secret, including a password in a URL", () => {
    const secrets = {
      SLACK_BOT_TOKEN: "xoxb-111-222-botsecret",
      SLACK_APP_TOKEN: "xapp-1-A1-333-appsecret",
      SLACK_SIGNING_SECRET: "signingsecret123",
      MATRIX_ACCESS_TOKEN: "syt_accesssecret",
      MATRIX_USER_ID: "@bot:example.org",
      MATRIX_PASSWORD: "matrixpassword",
      MATRIX_CRYPTO_PASSPHRASE: "cryptopassphrase",
    };
    const config = loadConfig({
      ...secrets,
      MATRIX_HOMESERVER_URL: "https://bot:urlpassword@matrix.example.org/",
      HINDSIGHT_TIMEZONE: "Europe/Berlin",
    });
    const summary = JSON.stringify(redactedConfig(config));
    for (const value of [
      ...Object.values(secrets).slice(0, 4),
      "matrixpassword",
      "cryptopassphrase",
      "urlpassword",
    ])
      expect(summary).not.toContain(value);
    expect(summary).toContain("Europe/Berlin");
    expect(summary).toContain("matrix.example.org");
    expect(summary).toContain("@bot:example.org");
  });
});

describe("Matrix encryption settings", () => {
  it("default to auto and all, and name the choices on a bad value", () => {
    const config = loadConfig({});
    expect(config.MATRIX_ENCRYPT_ROOMS).toBe("auto");
    expect(config.MATRIX_SHARE_KEYS_WITH).toBe("all");
    expect(() => loadConfig({ MATRIX_ENCRYPT_ROOMS: "sometimes" })).toThrow(
      /MATRIX_ENCRYPT_ROOMS.*use auto, always or never/,
    );
    expect(() => loadConfig({ MATRIX_SHARE_KEYS_WITH: "verified" })).toThrow(
      /MATRIX_SHARE_KEYS_WITH.*use all or signed/,
    );
  });
});

describe("loadDotEnv", () => {
  const dirs: string[] = [];
  const touched = ["HINDSIGHT_OPS_TEST_FROM_FILE", "HINDSIGHT_OPS_TEST_BOTH"];
  afterEach(() => {
    for (const name of touched) delete process.env[name];
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-env-"));
    dirs.push(dir);
    return dir;
  };

  it("reads the file, but a variable already in the environment wins", () => {
    const file = join(temp(), ".env");
    writeFileSync(
      file,
      '# comment\nHINDSIGHT_OPS_TEST_FROM_FILE="from file"\nHINDSIGHT_OPS_TEST_BOTH=file\n',
    );
    process.env.HINDSIGHT_OPS_TEST_BOTH = "environment";
    expect(loadDotEnv(file)).toBe(file);
    expect(process.env.HINDSIGHT_OPS_TEST_FROM_FILE).toBe("from file");
    expect(process.env.HINDSIGHT_OPS_TEST_BOTH).toBe("environment");
  });

  it("is optional: no file, nothing read", () => {
    expect(loadDotEnv(join(temp(), ".env"))).toBeUndefined();
  });

  it("refuses a .env that is not a file with one clear line", () => {
    const dir = join(temp(), ".env");
    mkdirSync(dir);
    expect(() => loadDotEnv(dir)).toThrow(new ConfigError(`${dir} is not a file`));
  });
});
