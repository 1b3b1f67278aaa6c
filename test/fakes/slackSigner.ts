import { createHmac } from "node:crypto";

export const TEST_SIGNING_SECRET = "test-signing-secret";

/** Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedOptions {
  secret?: string;
  /** seconds since the epoch; Bolt refuses anything older than five minutes */
  timestamp?: number;
  /** Slack's redelivery counter (x-slack-retry-num) */
  retryNum?: number;
  /** send this signature instead of the right one */
  signature?: string;
}

/** POSTs a body to the receiver as Slack would: signed, form-encoded or JSON. */
export async function postSigned(
  url: string,
  body: string,
  contentType: "application/json" | "application/x-www-form-urlencoded",
  options: SignedOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature":
      options.signature ?? slackSignature(options.secret ?? TEST_SIGNING_SECRET, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  return fetch(url, { method: "POST", headers, body });
}

/** A slash command payload as Slack posts it (form fields). */
export function commandPayload(fields: {
  command: string;
  text: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  team_id?: string;
  trigger_id?: string;
  response_url?: string;
}): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: "T1",
    team_domain: "test",
    channel_id: "CGENERAL",
    channel_name: "general",
    user_id: "UALICE",
    user_name: "alice",
    api_app_id: "A1",
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    ...fields,
  } as Record<string, string>;
}

/** An Events API envelope around one event. */
export function eventEnvelope(event: Record<string, unknown>, eventId: string, teamId = "T1") {
  return {
    token: "legacy-verification-token",
    team_id: teamId,
    api_app_id: "A1",
    type: "event_callback",
    event_id: eventId,
    event_time: 1_700_000_000,
    authorizations: [{ team_id: teamId, user_id: "UBOT", is_bot: true }],
    event,
  };
}
