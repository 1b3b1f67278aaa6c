#!/usr/bin/env node
// The Docker HEALTHCHECK: asks the running bot's /healthz on loopback. Exit 0 healthy, 1 not.
// It reads the same configuration as the bot, so it finds the same port.
import { loadConfig } from "../config.ts";
import { loadDotEnv } from "../env.ts";
import { healthEndpoint } from "./endpoint.ts";

async function check(): Promise<number> {
  loadDotEnv();
  const endpoint = healthEndpoint(loadConfig());
  if (!endpoint) {
    process.stderr.write("no health endpoint: set HINDSIGHT_HTTP_PORT\n");
    return 1;
  }
  const host =
    endpoint.host && !["0.0.0.0", "::"].includes(endpoint.host) ? endpoint.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${endpoint.port}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    process.stdout.write(`${response.status} ${await response.text()}\n`);
    return response.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

check().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `healthcheck: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
