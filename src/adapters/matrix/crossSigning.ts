import type { OlmMachine } from "@matrix-org/matrix-sdk-crypto-wasm";
import { type MatrixClient, MatrixError, Method } from "matrix-js-sdk";
import type { KeyValue } from "../../core/bot.ts";
import type { Logger } from "../../logging.ts";
import type { CryptoRequest } from "./cryptoRequests.ts";
import { describe, type RetryOptions, withRetry } from "./retry.ts";

/**
 * in the bot's Matrix key/value store: set once the server has cross-signing keys signing this
 * device (a new device, after a new login, signs itself anew)
 */
const DONE = "e2ee:cross-signing:";

export interface CrossSigningOptions {
  client: MatrixClient;
  machine: OlmMachine;
  send: (r: CryptoRequest) => Promise<unknown>;
  userId: string;
  deviceId: string;
  /** MATRIX_PASSWORD, to confirm replacing keys the account already has (user-interactive auth) */
  password: string | undefined;
  state: KeyValue;
  log: Logger;
  retry: RetryOptions;
}

/**
 * Gives the bot account a cross-signing identity and signs the bot's device with it, once: the
 * device then counts as verified by its owner, so clients that send keys only to such devices
 * (and MATRIX_SHARE_KEYS_WITH=signed, which asks the same of others) include it. The private
 * keys stay in the crypto store. A first upload needs no password; replacing keys the account
 * already has (set up from another login) needs MATRIX_PASSWORD. Without it the bot goes on
 * with its device unsigned and says so.
 */
export async function ensureCrossSigning(o: CrossSigningOptions): Promise<void> {
  const done = `${DONE}${o.deviceId}`;
  if (o.state.get(done)) return;
  try {
    const requests = await o.machine.bootstrapCrossSigning(true);
    if (requests.uploadKeysRequest) await o.send(requests.uploadKeysRequest as CryptoRequest);
    await uploadSigningKeys(o, JSON.parse(requests.uploadSigningKeysRequest.body) as object);
    await o.send(requests.uploadSignaturesRequest);
    o.state.set(done, "1");
    o.log.info({ userId: o.userId }, "set up cross-signing for the bot account");
  } catch (error) {
    if (o.retry.signal.aborted) throw error;
    o.log.warn(
      { err: describe(error) },
      "could not set up cross-signing for the bot account (it has keys from another login; set MATRIX_PASSWORD to replace them): its device shows as not verified by its owner",
    );
  }
}

async function uploadSigningKeys(o: CrossSigningOptions, body: object): Promise<void> {
  const post = (auth?: object) =>
    withRetry(
      "cross-signing upload",
      () =>
        o.client.http.authedRequest(Method.Post, "/keys/device_signing/upload", undefined, {
          ...body,
          ...(auth ? { auth } : {}),
        }),
      o.retry,
    );
  try {
    await post();
  } catch (error) {
    const session = error instanceof MatrixError ? error.data.session : undefined;
    if (!(error instanceof MatrixError && error.httpStatus === 401 && session && o.password))
      throw error;
    await post({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: o.userId },
      password: o.password,
      session,
    });
  }
}
