import { randomUUID } from "node:crypto";
import { type MatrixClient, MatrixError } from "matrix-js-sdk";
import type { ReplyFile } from "../../core/reply.ts";
import type { Logger } from "../../logging.ts";
import type { E2ee } from "./e2ee.ts";
import { type NoticeContent, renderInlineFile } from "./render.ts";
import { describe, type RetryOptions, withRetry } from "./retry.ts";

/**
 * Everything the bot sends, through the SDK and the rate-limit wrapper. Each send picks its
 * transaction id once, outside the retry loop, so a retry of a request that did arrive is
 * deduplicated by the homeserver instead of posted twice. In an encrypted room every event is
 * encrypted first (once, outside the retry loop too: a retry sends the same ciphertext).
 */
export function createOutbox(client: MatrixClient, log: Logger, retry: RetryOptions, e2ee?: E2ee) {
  // The SDK types sendEvent/sendStateEvent by known event types; ours are built for the wire.
  const rawSend = client.sendEvent.bind(client) as unknown as (
    roomId: string,
    type: string,
    content: Record<string, unknown>,
    txnId: string,
  ) => Promise<{ event_id: string }>;
  const rawState = client.sendStateEvent.bind(client) as unknown as (
    roomId: string,
    type: string,
    content: Record<string, unknown>,
    stateKey: string,
  ) => Promise<{ event_id: string }>;
  const sendEvent = async (
    roomId: string,
    type: string,
    content: Record<string, unknown>,
    txnId: string = randomUUID(),
  ) => {
    if (!e2ee?.isEncrypted(roomId))
      return withRetry(`send ${type}`, () => rawSend(roomId, type, content, txnId), retry);
    const sealed = await e2ee.seal(roomId, type, content);
    return withRetry(
      `send ${type}`,
      () => rawSend(roomId, "m.room.encrypted", sealed, txnId),
      retry,
    );
  };

  return {
    /**
     * Posts a notice; `txnId` (else a fresh one) names it to the homeserver, so a caller that may
     * send the same notice again after a crash passes one derived from what it answers.
     */
    async notice(
      roomId: string,
      content: NoticeContent,
      txnId?: string,
    ): Promise<string | undefined> {
      try {
        return (await sendEvent(roomId, "m.room.message", { ...content }, txnId)).event_id;
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.error({ roomId, err: describe(error) }, "could not send a reply");
        return undefined;
      }
    },

    /** Replaces a message the bot sent (`m.replace`); clients show the new text as "(edited)". */
    async edit(roomId: string, eventId: string, content: NoticeContent): Promise<void> {
      try {
        await sendEvent(roomId, "m.room.message", {
          ...content,
          body: `* ${content.body}`,
          ...(content.formatted_body ? { formatted_body: `* ${content.formatted_body}` } : {}),
          "m.new_content": content,
          "m.relates_to": { rel_type: "m.replace", event_id: eventId },
        });
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.warn({ roomId, err: describe(error) }, "could not edit a message");
      }
    },

    async react(roomId: string, eventId: string, key: string): Promise<void> {
      try {
        await sendEvent(roomId, "m.reaction", {
          "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key },
        });
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.warn({ roomId, err: describe(error) }, "could not react");
      }
    },

    /**
     * Uploads the file and posts it as `m.file`; undefined when done, else the reason.
     * `txnKey` derives the transaction id, as for `notice`.
     */
    async file(roomId: string, file: ReplyFile, txnKey?: string): Promise<string | undefined> {
      let url: string;
      const bytes = Buffer.from(file.content, "utf8");
      // In an encrypted room the server only ever sees ciphertext; the key goes in the event.
      const sealed = e2ee?.isEncrypted(roomId) ? e2ee.encryptFile(bytes) : undefined;
      try {
        const blob = sealed
          ? new Blob([Buffer.from(sealed.data)], { type: "application/octet-stream" })
          : new Blob([bytes], { type: file.mimeType });
        const upload = await withRetry(
          "upload",
          () =>
            client.uploadContent(
              blob,
              sealed
                ? { type: "application/octet-stream", includeFilename: false }
                : { name: file.name, type: file.mimeType },
            ),
          retry,
        );
        url = upload.content_uri;
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.warn({ roomId, err: describe(error) }, "upload failed");
        return describe(error);
      }
      try {
        await sendEvent(
          roomId,
          "m.room.message",
          {
            msgtype: "m.file",
            body: file.name,
            filename: file.name,
            ...(sealed ? { file: sealed.file(url) } : { url }),
            info: { mimetype: file.mimeType, size: bytes.byteLength },
          },
          txnKey ? `${txnKey}-file` : undefined,
        );
        return undefined;
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.error({ roomId, err: describe(error) }, "could not post the uploaded file");
        return describe(error);
      }
    },

    /** The file inline (split to fit the event size limit), for when the upload fails. */
    async inline(roomId: string, file: ReplyFile, txnKey?: string): Promise<void> {
      for (const [i, part] of renderInlineFile(file.name, file.content).entries())
        await this.notice(roomId, part, txnKey ? `${txnKey}-inline-${i}` : undefined);
    },

    async state(roomId: string, type: string, content: Record<string, unknown>, key = "") {
      try {
        await withRetry(`state ${type}`, () => rawState(roomId, type, content, key), retry);
      } catch (error) {
        if (retry.signal.aborted) throw error;
        log.warn({ roomId, type, err: describe(error) }, "could not update room state");
      }
    },

    /** The room's pinned events (none when the room has no pinned-events state yet). */
    async pinned(roomId: string): Promise<string[]> {
      try {
        const content = await withRetry(
          "pinned events",
          () => client.getStateEvent(roomId, "m.room.pinned_events", ""),
          retry,
        );
        return Array.isArray(content.pinned) ? content.pinned.map(String) : [];
      } catch (error) {
        if (retry.signal.aborted) throw error;
        return [];
      }
    },

    /** A room's `m.room.encryption` content, if the room has one (a server may add it itself). */
    async encryption(roomId: string): Promise<Record<string, unknown> | undefined> {
      try {
        return await withRetry(
          "encryption state",
          () => client.getStateEvent(roomId, "m.room.encryption", ""),
          retry,
        );
      } catch (error) {
        if (retry.signal.aborted) throw error;
        return undefined;
      }
    },

    /** A person's membership of a room ("join", "invite", …), undefined when they have none. */
    async membership(roomId: string, userId: string): Promise<string | undefined> {
      try {
        const content = await withRetry(
          "membership",
          () => client.getStateEvent(roomId, "m.room.member", userId),
          retry,
        );
        return typeof content.membership === "string" ? content.membership : undefined;
      } catch (error) {
        if (error instanceof MatrixError && error.errcode === "M_NOT_FOUND") return undefined;
        throw error;
      }
    },

    /** true once the adapter is stopping: a failure then is the stop, not the homeserver */
    stopping: () => retry.signal.aborted,

    createRoom: (options: Parameters<MatrixClient["createRoom"]>[0]) =>
      withRetry("createRoom", () => client.createRoom(options), retry),
    join: (roomId: string) => withRetry("join", () => client.joinRoom(roomId), retry),
    invite: (roomId: string, userId: string) =>
      withRetry("invite", () => client.invite(roomId, userId), retry),
    leave: (roomId: string) => withRetry("leave", () => client.leave(roomId), retry),
    resolveAlias: (alias: string) =>
      withRetry("resolve alias", () => client.getRoomIdForAlias(alias), retry),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
