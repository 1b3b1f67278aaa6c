import { existsSync, statSync } from "node:fs";
import { ConfigError } from "./config.ts";

/**
 * Loads an optional `.env` file into the environment before the config schema reads it. Node's
 * own loader never overrides a variable that is already set, so `docker run -e`, systemd and CI
 * settings beat a stray file. Returns the file it read, or undefined when there is none.
 */
export function loadDotEnv(file = ".env"): string | undefined {
  if (!existsSync(file)) return undefined;
  if (!statSync(file).isFile()) throw new ConfigError(`${file} is not a file`);
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new ConfigError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return file;
}
