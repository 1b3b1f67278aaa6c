import type { Env } from "../config.ts";

/** Slack runs its HTTP receiver when it has a bot token but no Socket Mode app token. */
export function slackUsesHttpReceiver(config: Env): boolean {
  return config.SLACK_BOT_TOKEN !== undefined && config.SLACK_APP_TOKEN === undefined;
}

export interface Endpoint {
  port: number;
  host: string | undefined;
  /** true: served by the Slack adapter's receiver through its customRoutes */
  onSlackPort: boolean;
}

/**
 * Where /healthz and /metrics are served: on Slack's receiver port when that runs (one port to
 * expose), else on HINDSIGHT_HTTP_PORT, else nowhere (a terminal session or a piped script must
 * not keep a server open). The runtime and the Docker HEALTHCHECK both ask this one function.
 */
export function healthEndpoint(config: Env): Endpoint | undefined {
  if (slackUsesHttpReceiver(config))
    return { port: config.PORT, host: undefined, onSlackPort: true };
  if (config.HINDSIGHT_HTTP_PORT === undefined) return undefined;
  return { port: config.HINDSIGHT_HTTP_PORT, host: config.HINDSIGHT_HTTP_HOST, onSlackPort: false };
}
