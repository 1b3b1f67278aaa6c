import {
  KeysClaimRequest,
  KeysQueryRequest,
  KeysUploadRequest,
  type OlmMachine,
  RoomMessageRequest,
  SignatureUploadRequest,
  ToDeviceRequest,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import { type MatrixClient, Method } from "matrix-js-sdk";
import { type RetryOptions, withRetry } from "./retry.ts";

/** What the crypto asks us to send; anything else it may ask (key backup) we do not use. */
export type CryptoRequest =
  | KeysUploadRequest
  | KeysQueryRequest
  | KeysClaimRequest
  | ToDeviceRequest
  | SignatureUploadRequest
  | RoomMessageRequest
  | { id?: string | undefined; type: number; body: string };

const enc = encodeURIComponent;

function route(r: CryptoRequest): { method: Method; path: string; what: string } | undefined {
  if (r instanceof KeysUploadRequest)
    return { method: Method.Post, path: "/keys/upload", what: "keys upload" };
  if (r instanceof KeysQueryRequest)
    return { method: Method.Post, path: "/keys/query", what: "keys query" };
  if (r instanceof KeysClaimRequest)
    return { method: Method.Post, path: "/keys/claim", what: "keys claim" };
  if (r instanceof SignatureUploadRequest)
    return { method: Method.Post, path: "/keys/signatures/upload", what: "signatures upload" };
  if (r instanceof ToDeviceRequest)
    return {
      method: Method.Put,
      path: `/sendToDevice/${enc(r.event_type)}/${enc(r.txn_id)}`,
      what: "to-device",
    };
  if (r instanceof RoomMessageRequest)
    return {
      method: Method.Put,
      path: `/rooms/${enc(r.room_id)}/send/${enc(r.event_type)}/${enc(r.txn_id)}`,
      what: "send",
    };
  return undefined;
}

/**
 * Sends the crypto's requests through the adapter's authenticated HTTP layer (with its retries and
 * rate-limit waits) and hands each answer back to the machine. The bodies carry keys: they are
 * never logged, only the kind of request.
 */
export function cryptoSender(client: MatrixClient, machine: OlmMachine, retry: RetryOptions) {
  /** Sends one request; undefined when it is of a kind we do not use (key backup). */
  async function send(r: CryptoRequest): Promise<boolean | undefined> {
    const to = route(r);
    if (!to) return undefined;
    const answer = await withRetry(
      to.what,
      () =>
        client.http.authedRequest<string>(to.method, to.path, undefined, r.body, {
          json: false,
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          abortSignal: retry.signal,
          priority: "auto",
        }),
      retry,
    );
    if (r.id) await machine.markRequestAsSent(r.id, r.type, answer);
    return r instanceof KeysUploadRequest;
  }

  return {
    send,
    /**
     * Everything the machine has queued (key uploads, key queries, to-device messages), until it
     * has nothing more; true when keys were uploaded (the store must be saved right away).
     */
    async drain(): Promise<boolean> {
      let uploaded = false;
      for (let round = 0; round < 10; round += 1) {
        const queued = (await machine.outgoingRequests()) as CryptoRequest[];
        let sent = 0;
        for (const r of queued) {
          const upload = await send(r);
          if (upload !== undefined) sent += 1;
          uploaded ||= upload === true;
        }
        if (sent === 0) break;
      }
      return uploaded;
    },
  };
}
