/**
 * The parts of the Client-Server API's JSON we read. We drive /sync ourselves (see syncLoop.ts), so
 * these are raw events, not SDK MatrixEvent objects.
 */
export interface RawEvent {
  event_id?: string;
  type: string;
  sender: string;
  origin_server_ts?: number;
  state_key?: string;
  content: Record<string, unknown>;
  /** redactions in room versions before 11 carry the target here; v11 moved it into content */
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

export interface JoinedRoom {
  state?: { events?: RawEvent[] };
  timeline?: { events?: RawEvent[]; limited?: boolean; prev_batch?: string };
}

export interface InvitedRoom {
  invite_state?: { events?: RawEvent[] };
}

/** The end-to-end encryption part of a /sync answer, for the crypto (e2ee.ts). */
export interface E2eeSync {
  to_device?: { events?: Record<string, unknown>[] };
  device_lists?: { changed?: string[]; left?: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

export interface SyncResponse extends E2eeSync {
  next_batch: string;
  rooms?: {
    join?: Record<string, JoinedRoom>;
    invite?: Record<string, InvitedRoom>;
    leave?: Record<string, unknown>;
  };
}

export interface MessagesResponse {
  chunk: RawEvent[];
  start: string;
  end?: string;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
