import { afterEach, describe, expect, it } from "vitest";
import { commandPayload, eventEnvelope } from "../../fakes/slackSigner.ts";
import { startSocketModeServer } from "../../fakes/socketModeServer.ts";
import { messageEvent, type SlackHarness, startSlackHarness } from "./slackHarness.ts";

let h: SlackHarness;
let ws: Awaited<ReturnType<typeof startSocketModeServer>>;

afterEach(async () => {
  expect(h.fake.unexpected).toEqual([]);
  await h.stop();
  await ws.close();
});

describe("Slack over Socket Mode", () => {
  it("connects through apps.connections.open, runs a slash command and acks it with the reply", async () => {
    ws = await startSocketModeServer();
    h = await startSlackHarness({ socketUrl: ws.url });
    expect(h.fake.callsTo("apps.connections.open")).toHaveLength(1);
    expect(h.adapter.healthy()).toBe(true);

    ws.send({
      envelope_id: "env-1",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: commandPayload({ command: "/incident", text: "start Socket outage --sev 3" }),
    });
    const ack = await ws.ackFor("env-1");
    expect(ack.payload).toMatchObject({ response_type: "in_channel" });
    expect(String((ack.payload as { text: string }).text)).toContain(
      "Declared INC-1: Socket outage (SEV3)",
    );
    await h.adapter.idle();
    const channel = h.fake.channels.get("inc-1-socket-outage")!;
    expect(h.app.bot.incidentForRoom("slack", channel)?.id).toBe(1);

    // Events arrive as events_api envelopes; a replay of the same event id changes nothing.
    // A reaction has no dedupe of its own (a message would be absorbed by the collector's), so
    // only the event-id claim keeps a replayed 📌 removal from taking away a later 📌.
    const ts = "1677146700.000100";
    const events = [
      messageEvent(channel, ts, "proxy restarted"),
      {
        type: "reaction_added",
        user: "UBOB",
        reaction: "pushpin",
        item: { type: "message", channel, ts },
      },
      {
        type: "reaction_removed",
        user: "UBOB",
        reaction: "pushpin",
        item: { type: "message", channel, ts },
      },
      {
        type: "reaction_added",
        user: "UBOB",
        reaction: "pushpin",
        item: { type: "message", channel, ts },
      },
    ];
    const envelope = (n: number, retry = 0) => ({
      envelope_id: `env-ev-${n}-${retry}`,
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: retry,
      payload: eventEnvelope(events[n]!, `EvS${n}`),
    });
    for (const [n] of events.entries()) {
      ws.send(envelope(n));
      await ws.ackFor(`env-ev-${n}-0`);
    }
    ws.send(envelope(2, 1)); // the removal again, after the second 📌
    await ws.ackFor("env-ev-2-1");
    const pins = h.app.repos.timeline.list(1).filter((e) => e.kind === "pin");
    expect(pins.map((e) => e.text)).toEqual(["proxy restarted"]);

    // Errors are for the caller only.
    ws.send({
      envelope_id: "env-4",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: commandPayload({ command: "/incident", text: "sev banana", channel_id: channel }),
    });
    expect((await ws.ackFor("env-4")).payload).toMatchObject({ response_type: "ephemeral" });
  });
});
