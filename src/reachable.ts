import { connect } from "node:net";
import type { Env } from "./config.ts";
import { UserError } from "./errors.ts";

/** Slack's Web API when SLACK_API_URL is not set. */
const SLACK_API = "https://slack.com/api/";
const CONNECT_TIMEOUT_MS = 10_000;

interface Target {
  platform: string;
  setting: string;
  url: URL;
}

/**
 * Fails the start with one line when a configured platform's host cannot be reached at all (a
 * name that does not resolve, a refused connection): the SDKs would retry forever, logging
 * "fetch failed" without host or cause. Only a TCP connection is opened, no request is sent, so
 * no credential leaves the process here; a host that answers is the SDK's to talk to.
 */
export async function checkReachable(config: Env): Promise<void> {
  const targets: Target[] = [];
  if (config.SLACK_BOT_TOKEN)
    targets.push({
      platform: "Slack",
      setting: config.SLACK_API_URL ? "SLACK_API_URL" : "SLACK_BOT_TOKEN is set",
      url: new URL(config.SLACK_API_URL ?? SLACK_API),
    });
  if (config.MATRIX_HOMESERVER_URL)
    targets.push({
      platform: "Matrix",
      setting: "MATRIX_HOMESERVER_URL",
      url: new URL(config.MATRIX_HOMESERVER_URL),
    });
  await Promise.all(targets.map(reach));
}

async function reach({ platform, setting, url }: Target): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "http:" ? 80 : 443));
  const cause = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
      socket.destroy();
      resolve(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.message));
  });
  if (cause !== undefined)
    throw new UserError(`cannot reach ${platform} at ${url.host} (${setting}): ${cause}`);
}
