import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Row } from "./lib.ts";

const ADAPTER = fileURLToPath(new URL("../src/adapters/slack/", import.meta.url));

/** Slack HTTP receiver under 50 concurrent signed slash commands (see slackHttp.ts). */
export async function slackBench(): Promise<Row[]> {
  if (!existsSync(ADAPTER)) {
    return [
      {
        bench: "slack",
        figure: "p99 ack, 50 concurrent",
        value: Number.NaN,
        unit: "ms",
        target: "< 50 ms",
        note: "not available yet: src/adapters/slack/ has not landed",
      },
    ];
  }
  return [];
}
