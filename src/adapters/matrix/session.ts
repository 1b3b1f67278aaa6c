import { createClient, type MatrixClient, MatrixError } from "matrix-js-sdk";
import type { KeyValue } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import { sdkLogger } from "./sdkLogger.ts";

export interface Credentials {
  homeserverUrl: string;
  accessToken?: string | undefined;
  userId?: string | undefined;
  password?: string | undefined;
}

interface SavedSession {
  homeserverUrl: string;
  userId: string;
  accessToken: string;
  deviceId: string;
}

/** in the bot's Matrix key/value store ("matrix:session" in the database) */
const SESSION_KEY = "session";

/**
 * A logged-in client. With MATRIX_ACCESS_TOKEN that token is used as is. With a password, the
 * token and device id the first login returned are kept in the database and reused, so restarts
 * do not log in again and leave a new device behind each time; a saved token the server no longer
 * accepts (M_UNKNOWN_TOKEN) triggers one fresh login.
 */
export async function openSession(
  creds: Credentials,
  state: KeyValue,
  log: Logger,
): Promise<{ client: MatrixClient; userId: string }> {
  const logger = sdkLogger(log);
  const base = { baseUrl: creds.homeserverUrl, logger, useAuthorizationHeader: true };
  if (creds.accessToken) {
    const client = createClient({ ...base, accessToken: creds.accessToken });
    const me = await client.whoami();
    // Re-create with the identity the server reported: the SDK uses it for sender checks.
    const ready = createClient({
      ...base,
      accessToken: creds.accessToken,
      userId: me.user_id,
      ...(me.device_id ? { deviceId: me.device_id } : {}),
    });
    return { client: ready, userId: me.user_id };
  }
  if (!creds.userId || !creds.password)
    throw new Error("Matrix needs MATRIX_ACCESS_TOKEN, or MATRIX_USER_ID and MATRIX_PASSWORD");

  const saved = readSaved(state, creds);
  if (saved) {
    const client = createClient({ ...base, ...sessionOpts(saved) });
    try {
      await client.whoami();
      log.info({ userId: saved.userId, deviceId: saved.deviceId }, "reusing saved Matrix session");
      return { client, userId: saved.userId };
    } catch (error) {
      if (!(error instanceof MatrixError && error.errcode === "M_UNKNOWN_TOKEN")) throw error;
      log.warn("saved Matrix access token was rejected; logging in again");
      state.delete(SESSION_KEY);
    }
  }
  const anonymous = createClient(base);
  const login = await anonymous.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: creds.userId },
    password: creds.password,
    initial_device_display_name: "Hindsight incident bot",
  });
  const session: SavedSession = {
    homeserverUrl: creds.homeserverUrl,
    userId: login.user_id,
    accessToken: login.access_token,
    deviceId: login.device_id,
  };
  state.set(SESSION_KEY, JSON.stringify(session));
  log.info({ userId: session.userId, deviceId: session.deviceId }, "logged in to Matrix");
  return { client: createClient({ ...base, ...sessionOpts(session) }), userId: session.userId };
}

function sessionOpts(s: SavedSession) {
  return { accessToken: s.accessToken, userId: s.userId, deviceId: s.deviceId };
}

function readSaved(state: KeyValue, creds: Credentials): SavedSession | undefined {
  const raw = state.get(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as SavedSession;
    // A session for another account or server is not ours to reuse.
    return s.homeserverUrl === creds.homeserverUrl && s.userId === creds.userId ? s : undefined;
  } catch {
    return undefined;
  }
}
