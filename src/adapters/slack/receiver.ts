import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { HttpRoute } from "../adapter.ts";

/**
 * Extra HTTP routes (/healthz, /metrics) served beside Slack's, on the HTTP receiver's port. In
 * Socket Mode nothing listens on PORT: the runtime serves them on HINDSIGHT_HTTP_PORT instead.
 */
export type CustomRoute = HttpRoute;

/**
 * Puts our event handling in front of Bolt's. Bolt acknowledges Events API deliveries before any
 * listener runs; we write an event to the database before Slack hears "200", so an event Slack
 * stops redelivering is never lost. So event callbacks go to `onEvent` (write, then ack, then
 * Web API calls), our slash commands to `onCommand` (over HTTP they never get this far:
 * commands.ts `answeringCommands` takes them first), and anything else to Bolt as usual.
 * The receiver keeps doing what it is for: parsing, acks on the wire.
 */
export function gatedReceiver(
  inner: Receiver,
  onEvent: (event: ReceiverEvent) => Promise<void>,
  onCommand: (event: ReceiverEvent) => Promise<void> | undefined,
): Receiver {
  return {
    init(app: App) {
      const processEvent = (event: ReceiverEvent): Promise<void> =>
        event.body.type === "event_callback"
          ? onEvent(event)
          : (onCommand(event) ?? app.processEvent(event));
      // Bolt's receivers use nothing of the app but processEvent (HTTPReceiver, SocketModeReceiver).
      inner.init({ processEvent } as unknown as App);
    },
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}
