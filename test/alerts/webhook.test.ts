import { afterEach, describe, expect, it } from "vitest";
import { incidentMilestones } from "../../src/incidents/timeline.ts";
import { dueReminders } from "../../src/reminders/due.ts";
import { reminderSettingsFrom } from "../../src/reminders/settings.ts";
import {
  type AlertServer,
  alertmanagerBody,
  grafanaBody,
  probeFailure,
  startAlertServer,
} from "./support.ts";

let s: AlertServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function started(now = "2023-02-06T13:10:00Z") {
  s = await startAlertServer({ now });
  return s;
}

const at = (iso: string) => Date.parse(iso);
const timeline = (server: AlertServer, id = 1) =>
  server.app.repos.timeline
    .list(id)
    .map((e) => ({ at: new Date(e.at).toISOString(), text: e.text }));

describe("POST /alerts/alertmanager", () => {
  it("a firing group matching a rule declares an incident, titled by the rule, detected at startsAt", async () => {
    const server = await started();
    const res = await server.post("/alerts/alertmanager", alertmanagerBody());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      outcome: "declared",
      incident: "INC-1",
      recorded: 1,
      duplicates: 0,
    });

    const incident = server.app.bot.incident(1)!;
    expect(incident.title).toBe("ProbeFailure on https://server.example.org");
    expect(incident.severity).toBe(1);
    expect(incident.startedAt).toBe(at("2023-02-06T13:08:45.828Z"));
    expect(incident.declaredAt).toBe(at("2023-02-06T13:10:00Z"));
    expect(incident.createdBy).toBe("alertmanager");
    expect(timeline(server)).toEqual([
      { at: "2023-02-06T13:08:45.828Z", text: "incident declared by Alertmanager (SEV1)" },
      {
        at: "2023-02-06T13:08:45.828Z",
        text: "detected (marked by Alertmanager): alert ProbeFailure firing on https://server.example.org: BlackBox Probe Failure: https://server.example.org",
      },
      {
        at: "2023-02-06T13:08:45.828Z",
        text: "alert ProbeFailure firing on https://server.example.org: BlackBox Probe Failure: https://server.example.org (Alertmanager)",
      },
    ]);
    expect(incidentMilestones(server.app.repos, incident).detected).toBe(
      at("2023-02-06T13:08:45.828Z"),
    );

    // The chat side, after the answer: a room of its own (nobody to invite), the card, and no
    // commander, so the commander reminder comes due as for any incident.
    await server.idle();
    expect(server.app.bot.roomsOf(1, "console")).toEqual(["inc-1"]);
    expect(server.printed()).toContain("INC-1: ProbeFailure on https://server.example.org\nSEV1");
    expect(server.printed()).not.toContain("you are now in the room");
    const reminders = dueReminders(
      server.app.repos,
      reminderSettingsFrom(server.config),
      at("2023-02-06T13:16:00Z"),
    );
    expect(reminders.map((r) => r.kind)).toContain("commander");
  });

  it("later deliveries of the group add each alert at its own time, resolutions at endsAt", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody());
    await server.idle();
    server.clock.set("2023-02-06T13:21:00Z");
    const second = alertmanagerBody({
      alerts: [
        probeFailure({ status: "resolved", endsAt: "2023-02-06T13:20:00Z" }),
        probeFailure({
          labels: { ...probeFailure().labels, instance: "https://other.example.org" },
          annotations: { summary: "BlackBox Probe Failure: https://other.example.org" },
          startsAt: "2023-02-06T13:12:30Z",
          fingerprint: "2b41cb82ddb3a320",
        }),
      ],
    });
    const res = await server.post("/alerts/alertmanager", second);
    expect(res.body).toEqual({ outcome: "added", incident: "INC-1", recorded: 2, duplicates: 0 });
    expect(server.app.bot.openIncidents().map((i) => i.id)).toEqual([1]);
    expect(timeline(server).slice(3)).toEqual([
      {
        at: "2023-02-06T13:12:30.000Z",
        text: "alert ProbeFailure firing on https://other.example.org: BlackBox Probe Failure: https://other.example.org (Alertmanager)",
      },
      {
        at: "2023-02-06T13:20:00.000Z",
        text: "alert ProbeFailure resolved on https://server.example.org (Alertmanager)",
      },
    ]);
    // the draft's timeline has them, at their own times, and its milestones the detection
    const draft = server.app.bot.handle({
      platform: "console",
      actor: { id: "alice", name: "alice" },
      room: "lobby",
      text: "/postmortem draft INC-1",
      eventId: "draft-1",
      time: server.clock.now(),
    });
    const content = draft.kind === "ok" ? (draft.reply.file?.content ?? "") : "";
    expect(content).toContain(
      "_Milestones (UTC): declared 13:08 · impact started 13:08 · detected 13:08_",
    );
    expect(content).toContain(
      "- 13:12 alert ProbeFailure firing on https://other.example.org: BlackBox Probe Failure: https://other.example.org (Alertmanager)\n- 13:20 alert ProbeFailure resolved on https://server.example.org (Alertmanager)",
    );
    await server.idle();
    expect(server.printed()).toContain(
      "🔔 Alertmanager: alert ProbeFailure firing on https://other.example.org: BlackBox Probe Failure: https://other.example.org (2023-02-06 13:12:30 UTC)\n🔔 Alertmanager: alert ProbeFailure resolved on https://server.example.org (2023-02-06 13:20 UTC)",
    );
  });

  it("notes the alerts Alertmanager left out of the group (max_alerts) once, and again when they double", async () => {
    const server = await started();
    const leftOut = () =>
      timeline(server).filter((e) =>
        e.text.includes("left out of the webhook by its max alerts setting"),
      );
    await server.post("/alerts/alertmanager", alertmanagerBody({ truncatedAlerts: 40 }));
    expect(leftOut()).toEqual([
      {
        at: "2023-02-06T13:10:00.000Z",
        text: "40 more alerts were in this group, left out of the webhook by its max alerts setting (Alertmanager)",
      },
    ]);
    await server.idle();

    // Resent every group_interval with about as many left out: nothing more, until they double.
    server.clock.set("2023-02-06T13:15:00Z");
    const again = await server.post(
      "/alerts/alertmanager",
      alertmanagerBody({ truncatedAlerts: 79 }),
    );
    expect(again.body).toMatchObject({ outcome: "unchanged", recorded: 0 });
    expect(leftOut()).toHaveLength(1);
    server.clock.set("2023-02-06T13:20:00Z");
    const grown = await server.post(
      "/alerts/alertmanager",
      alertmanagerBody({ truncatedAlerts: 80 }),
    );
    expect(grown.body).toMatchObject({ outcome: "added", recorded: 0 });
    expect(leftOut().map((e) => e.text.split(" ")[0])).toEqual(["40", "80"]);
    await server.idle();
    expect(server.printed()).toContain(
      "🔔 Alertmanager: 80 more alerts were in this group, left out of the webhook by its max alerts setting",
    );
  });

  it("reads a truncatedAlerts that is no count as none, and still records the group", async () => {
    for (const [i, bad] of [-1, 1.5, "3", null, 1e20].entries()) {
      const server = await started();
      const res = await server.post(
        "/alerts/alertmanager",
        alertmanagerBody({ truncatedAlerts: bad }),
      );
      expect(res.status, `truncatedAlerts ${JSON.stringify(bad)} (${i})`).toBe(200);
      expect(res.body).toMatchObject({ outcome: "declared", recorded: 1 });
      expect(timeline(server).filter((e) => e.text.includes("left out"))).toEqual([]);
      await server.stop();
      s = undefined;
    }
  });

  it("a metrics observer that throws neither fails the delivery nor keeps the incident from being announced", async () => {
    const broken = () => {
      throw new Error("metrics down");
    };
    s = await startAlertServer({
      now: "2023-02-06T13:10:00Z",
      alertObserver: { received: broken, deduped: broken, declared: broken },
    });
    const res = await s.post("/alerts/alertmanager", alertmanagerBody());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "declared", incident: "INC-1" });
    await s.idle();
    expect(s.app.bot.roomsOf(1, "console")).toEqual(["inc-1"]);
    expect(s.printed()).toContain("INC-1: ProbeFailure on https://server.example.org");
    expect(s.logs.filter((l) => l.msg === "metrics observer failed").length).toBeGreaterThan(0);
  });

  it("says what a declaring delivery left out in the new incident's room too", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody({ truncatedAlerts: 40 }));
    await server.idle();
    expect(server.printed()).toContain(
      "🔔 Alertmanager: 40 more alerts were in this group, left out of the webhook by its max alerts setting",
    );
  });

  it("a redelivered group changes nothing, even with its firing alerts' endsAt moved on", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody());
    await server.idle();
    const before = server.snapshot();
    // Alertmanager resends the group every group_interval; a firing alert's endsAt moves forward.
    const again = alertmanagerBody({ alerts: [probeFailure({ endsAt: "2023-02-06T13:25:00Z" })] });
    const res = await server.post("/alerts/alertmanager", again);
    expect(res.body).toEqual({
      outcome: "unchanged",
      incident: "INC-1",
      recorded: 0,
      duplicates: 1,
    });
    expect(server.snapshot()).toBe(before);
  });

  it("an alert firing again after it resolved, with its first startsAt, is recorded again; its resends are not", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody());
    server.clock.set("2023-02-06T13:21:00Z");
    const resolved = probeFailure({ status: "resolved", endsAt: "2023-02-06T13:20:00Z" });
    await server.post("/alerts/alertmanager", alertmanagerBody({ alerts: [resolved] }));
    // Alertmanager had timed the alert out; Prometheus sends it again with its old startsAt.
    server.clock.set("2023-02-06T13:30:00Z");
    const again = await server.post("/alerts/alertmanager", alertmanagerBody());
    expect(again.body).toMatchObject({ outcome: "added", recorded: 1, duplicates: 0 });
    const resent = await server.post("/alerts/alertmanager", alertmanagerBody());
    expect(resent.body).toMatchObject({ outcome: "unchanged", recorded: 0, duplicates: 1 });
    expect(
      timeline(server)
        .slice(2)
        .map((e) => e.text.split(" on ")[0]),
    ).toEqual([
      "alert ProbeFailure firing",
      "alert ProbeFailure firing",
      "alert ProbeFailure resolved",
    ]);
    await server.idle();
  });

  it("a resolution without an endsAt is recorded once, however often it is resent", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody());
    const resolved = { ...probeFailure({ status: "resolved" }) } as Record<string, unknown>;
    delete resolved.endsAt;
    for (const time of ["2023-02-06T13:21:00Z", "2023-02-06T13:26:00Z"]) {
      server.clock.set(time);
      await server.post("/alerts/alertmanager", alertmanagerBody({ alerts: [resolved] }));
    }
    const resolutions = timeline(server).filter((e) => e.text.includes("resolved"));
    expect(resolutions).toEqual([
      {
        at: "2023-02-06T13:21:00.000Z",
        text: "alert ProbeFailure resolved on https://server.example.org (Alertmanager)",
      },
    ]);
    await server.idle();
  });

  it("a group matching no rule goes into its open incident, and is only logged without one", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody());
    const quiet = probeFailure({
      labels: { alertname: "DiskFilling", instance: "db-1", severity: "warning" },
      annotations: {},
      startsAt: "2023-02-06T13:09:30Z",
      fingerprint: "d15cf111",
    });
    const joined = await server.post("/alerts/alertmanager", alertmanagerBody({ alerts: [quiet] }));
    expect(joined.body).toMatchObject({ outcome: "added", incident: "INC-1", recorded: 1 });
    expect(timeline(server).at(-1)).toEqual({
      at: "2023-02-06T13:09:30.000Z",
      text: "alert DiskFilling firing on db-1 (Alertmanager)",
    });

    const before = server.snapshot();
    const other = {
      ...quiet,
      labels: { ...quiet.labels, instance: "db-2" },
      fingerprint: "d15cf222",
    };
    const alone = alertmanagerBody({ groupKey: '{}:{alertname="DiskFilling"}', alerts: [other] });
    const res = await server.post("/alerts/alertmanager", alone);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ outcome: "unmatched", recorded: 0, duplicates: 0 });
    expect(server.snapshot()).toBe(before);
    expect(server.logs.map((l) => l.msg)).toContain(
      "alert group matched no rule and has no open incident: not recorded",
    );
  });

  it("after its incident is resolved, a resent group declares nothing; a new firing alert declares anew", async () => {
    const server = await started();
    await server.post("/alerts/alertmanager", alertmanagerBody({ truncatedAlerts: 2 }));
    await server.idle();
    server.clock.set("2023-02-06T14:00:00Z");
    const resolved = server.app.bot.handle({
      platform: "console",
      actor: { id: "alice", name: "alice" },
      room: "inc-1",
      text: "/incident resolve",
      eventId: "resolve-1",
      time: server.clock.now(),
    });
    expect(resolved.kind).toBe("ok");
    const resent = await server.post("/alerts/alertmanager", alertmanagerBody());
    expect(resent.body).toEqual({ outcome: "unmatched", recorded: 0, duplicates: 1 });
    expect(server.app.bot.incident(2)).toBeUndefined();

    const refired = alertmanagerBody({
      alerts: [probeFailure({ startsAt: "2023-02-06T13:55:00Z" })],
      truncatedAlerts: 3,
    });
    const res = await server.post("/alerts/alertmanager", refired);
    expect(res.body).toEqual({
      outcome: "declared",
      incident: "INC-2",
      recorded: 1,
      duplicates: 0,
    });
    expect(server.app.bot.incident(2)?.startedAt).toBe(at("2023-02-06T13:55:00Z"));
    // The new incident is told what the group left out, as if the group were new.
    expect(timeline(server, 2).filter((e) => e.text.includes("left out"))).toHaveLength(1);
  });
});

describe("POST /alerts/grafana", () => {
  it("the documented payload declares one incident; the first matching rule wins; its opener is the earliest", async () => {
    const server = await started("2021-10-12T08:00:00Z");
    const res = await server.post("/alerts/grafana", grafanaBody());
    expect(res.body).toEqual({
      outcome: "declared",
      incident: "INC-1",
      recorded: 2,
      duplicates: 0,
    });
    const incident = server.app.bot.incident(1)!;
    // rule 2 (team /blu.*/, no title: the alertname); rule 3 would match too but comes later
    expect(incident.title).toBe("High memory usage");
    expect(incident.severity).toBe(3);
    expect(incident.startedAt).toBe(at("2021-10-12T07:51:03.157Z"));
    expect(timeline(server).slice(2)).toEqual([
      {
        at: "2021-10-12T07:51:03.157Z",
        text: "alert High memory usage firing: This alert was triggered for zone us-1 (Grafana)",
      },
      {
        at: "2021-10-12T07:56:03.157Z",
        text: "alert High CPU usage firing: This alert was triggered for zone eu-1 (Grafana)",
      },
    ]);
    const again = await server.post("/alerts/grafana", grafanaBody());
    expect(again.body).toEqual({
      outcome: "unchanged",
      incident: "INC-1",
      recorded: 0,
      duplicates: 2,
    });
  });

  it("counts alerts received, deduplicated and incidents declared on /metrics", async () => {
    const server = await started("2021-10-12T08:00:00Z");
    await server.post("/alerts/grafana", grafanaBody());
    await server.post("/alerts/grafana", grafanaBody());
    const text = await (await fetch(`${server.base}/metrics`)).text();
    expect(text).toContain('hindsight_alerts_received_total{source="grafana"} 4');
    expect(text).toContain('hindsight_alerts_deduplicated_total{source="grafana"} 2');
    expect(text).toContain('hindsight_alert_incidents_declared_total{source="grafana"} 1');
  });
});
