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
    const envelope = {
      envelope_id: "env-2",
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: 0,
      payload: eventEnvelope(
        messageEvent(channel, "1677146700.000100", "action: add a cert monitor"),
        "EvS1",
      ),
    };
    ws.send(envelope);
    await ws.ackFor("env-2");
    ws.send({ ...envelope, envelope_id: "env-3", retry_attempt: 1 });
    await ws.ackFor("env-3");
    expect(h.app.repos.actions.list(1).map((a) => a.text)).toEqual(["add a cert monitor"]);

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
