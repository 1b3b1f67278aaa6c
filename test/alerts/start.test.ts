import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { decideWith } from "../../src/alerts/rules.ts";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../storage/database.ts";
import { killChildren, listeningPort, MAIN, run } from "../ops/child.ts";
import { alertmanagerBody, probeFailure, RULES, TOKEN, tempDir } from "./support.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  killChildren();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function workDir() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "rules.yaml"), RULES);
  return dir;
}

const OPS = { HINDSIGHT_HTTP_PORT: "0", HINDSIGHT_HTTP_HOST: "127.0.0.1" };

describe("hindsight start with alerts", () => {
  it("without HINDSIGHT_ALERTS_TOKEN the alert routes are off (404)", async () => {
    const dir = workDir();
    const bot = run(MAIN, ["start"], { HINDSIGHT_DB: join(dir, "h.db"), ...OPS }, dir);
    const port = await listeningPort(bot);
    const res = await fetch(`http://127.0.0.1:${port}/alerts/alertmanager`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(alertmanagerBody()),
    });
    expect(res.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    bot.process.kill("SIGTERM");
    await bot.exited;
  });

  it("with the token and rules, an alert declares an incident in the bot's database and terminal", async () => {
    const dir = workDir();
    const db = join(dir, "h.db");
    const bot = run(
      MAIN,
      ["start"],
      {
        HINDSIGHT_DB: db,
        ...OPS,
        HINDSIGHT_ALERTS_TOKEN: TOKEN,
        HINDSIGHT_ALERT_RULES: join(dir, "rules.yaml"),
      },
      dir,
    );
    const port = await listeningPort(bot);
    const res = await fetch(`http://127.0.0.1:${port}/alerts/alertmanager`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(alertmanagerBody()),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "declared", incident: "INC-1" });
    // the terminal is the one front end: the incident's room, and its card printed there
    await bot.waitFor("stdout", (text) =>
      text.includes("INC-1: ProbeFailure on https://server.example.org"),
    );
    const read = openDatabase(db, { readonly: true });
    cleanups.unshift(() => read.close());
    expect(read.prepare("SELECT title, severity, created_by FROM incidents").all()).toEqual([
      {
        title: "ProbeFailure on https://server.example.org",
        severity: 1,
        created_by: "alertmanager",
      },
    ]);
    // the token is a secret: never in the logs
    expect(bot.stderr()).not.toContain(TOKEN);
    bot.process.kill("SIGTERM");
    expect((await bot.exited).code).toBe(0);
  });

  it("opens at start an alert's incident whose chat side a crash cut short", async () => {
    const dir = workDir();
    const env = {
      HINDSIGHT_DB: join(dir, "h.db"),
      ...OPS,
      HINDSIGHT_ALERTS_TOKEN: TOKEN,
      HINDSIGHT_ALERT_RULES: join(dir, "rules.yaml"),
    };
    // The commit happened; the process died before any platform heard of it.
    const before = createApp(loadConfig(env), pino({ level: "silent" }));
    const body = alertmanagerBody();
    const outcome = before.bot.receiveAlerts(
      {
        source: "alertmanager",
        groupKey: body.groupKey,
        truncated: 0,
        alerts: [
          {
            fingerprint: "1a30ba71cca2921f",
            status: "firing",
            labels: probeFailure().labels,
            annotations: probeFailure().annotations,
            startsAt: Date.parse("2023-02-06T13:08:45Z"),
            endsAt: null,
          },
        ],
      },
      decideWith(loadConfig(env).HINDSIGHT_ALERT_RULES),
    );
    expect(outcome.kind).toBe("declared");
    before.db.close();
    const bot = run(MAIN, ["start"], env, dir);
    await bot.waitFor("stdout", (text) =>
      text.includes("INC-1: ProbeFailure on https://server.example.org"),
    );
    bot.process.kill("SIGTERM");
    await bot.exited;
  });

  it("a broken rules file stops the start with one message naming each problem", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "bad.yaml"), "- match: { alertname: A }\n  severity: 9\n");
    const bot = run(
      MAIN,
      ["start"],
      {
        HINDSIGHT_DB: join(dir, "h.db"),
        ...OPS,
        HINDSIGHT_ALERTS_TOKEN: TOKEN,
        HINDSIGHT_ALERT_RULES: "bad.yaml",
      },
      dir,
    );
    // 2, as for every configuration error
    expect((await bot.exited).code).toBe(2);
    expect(bot.stderr()).toContain(
      "invalid configuration:\n  - HINDSIGHT_ALERT_RULES bad.yaml rule 1 severity must be 1, 2, 3 or 4",
    );
  });
});
