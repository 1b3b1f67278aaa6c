/**
 * Child process for the draft and memory benches, so that each measurement starts from a fresh
 * heap and `maxRSS` is this measurement's own peak:
 *   seed <db> <entries> <messages>   one incident, bulk-inserted in one transaction
 *   draft <db>                       time /postmortem draft through the bot and a bare baseline
 *   ops <db>                         peak memory of everyday commands on a long history
 * Prints one JSON object on stdout.
 */
import { benchApp, NOW, say, timeMedian } from "./lib.ts";

const ROOM = "room-1";
const [mode, file, ...rest] = process.argv.slice(2);
if (!mode || !file) throw new Error("usage: draftWorker.ts seed|draft|ops <db> [entries messages]");

const result = mode === "seed" ? seed(Number(rest[0]), Number(rest[1])) : measure(mode);
process.stdout.write(`${JSON.stringify(result)}\n`);

function seed(entries: number, messages: number) {
  const app = benchApp(file!);
  const declared = app.bot.handle(say("lobby", "/incident start Proxy outage --sev 2"));
  if (declared.kind !== "ok") throw new Error("declare failed");
  app.bot.bindRoom(1, "console", ROOM);
  const started = performance.now();
  const entry = app.db.prepare(
    `INSERT INTO timeline_entries (incident_id, number, at, text, kind, author_id, created_at)
     VALUES (1, ?, ?, ?, 'note', 'bench', ?)`,
  );
  const message = app.db.prepare(
    `INSERT INTO messages (incident_id, platform, room_id, event_id, author_id, author_name, at, text)
     VALUES (1, 'console', ?, ?, 'bench', 'bench', ?, ?)`,
  );
  app.db.transaction(() => {
    // Entries start before the declaration and run on (one every 7 s): several UTC days at 100k.
    const first = NOW - 3_600_000;
    for (let i = 0; i < entries; i++) {
      entry.run(i + 2, first + i * 7_000, entryText(i), NOW);
    }
    for (let i = 0; i < messages; i++) {
      message.run(ROOM, `seed-${i}`, first + i * 700, `msg ${i}: checking the *proxy* <logs> now`);
    }
    app.db.prepare("UPDATE incidents SET next_timeline_number = ? WHERE id = 1").run(entries + 2);
  })();
  for (let i = 0; i < 5; i++) {
    app.bot.handle(say(ROOM, `/action add fix thing ${i} --owner @ops`));
    app.bot.handle(say(ROOM, `impact: users saw errors ${i}`));
  }
  const seconds = (performance.now() - started) / 1000;
  app.db.pragma("wal_checkpoint(TRUNCATE)");
  app.db.close();
  return { entries, messages, seedSeconds: seconds };
}

/** Varied text, some of it Markdown/HTML the escaper has to handle. */
function entryText(i: number): string {
  switch (i % 4) {
    case 0:
      return `proxy answered 502 on /login (${i})`;
    case 1:
      return `# restarted **haproxy** on lb-${i % 7}`;
    case 2:
      return `<b>paged</b> the on-call - see https://status.example.org/${i}`;
    default:
      return `- rolled back deploy ${i} :tada:`;
  }
}

function measure(what: string) {
  const app = benchApp(file!);
  global.gc?.();
  const idleRss = process.memoryUsage().rss;
  const out: Record<string, number> = { idleRss };
  if (what === "draft") {
    let size = 0;
    const draft = () => {
      const r = app.bot.handle(say(ROOM, "/postmortem draft"));
      if (r.kind !== "ok" || !r.reply.file) throw new Error(`draft failed: ${JSON.stringify(r)}`);
      size = r.reply.file.content.length;
    };
    draft(); // warm-up: template parse, statement caches
    out.draftMs = timeMedian(5, draft);
    out.markdownBytes = size;
    // Baseline: the least a draft must do, read the sorted timeline and write one line per entry.
    const rows = app.db.prepare<[], { at: number; text: string }>(
      "SELECT at, text FROM timeline_entries WHERE incident_id = 1 ORDER BY at, id",
    );
    out.bareMs = timeMedian(5, () => {
      const lines: string[] = [];
      for (const r of rows.all()) lines.push(`- ${new Date(r.at).toISOString()} ${r.text}`);
      if (lines.join("\n").length === 0) throw new Error("empty");
    });
  } else if (what === "ops") {
    for (const text of [
      "/timeline list",
      "/incident status",
      "/action list",
      "a plain message collected on a long history",
      "/timeline add 12:00 one more entry",
    ]) {
      const r = app.bot.handle(say(ROOM, text));
      if (r.kind !== "ok" && r.kind !== "collected")
        throw new Error(`${text}: ${JSON.stringify(r)}`);
    }
  } else {
    throw new Error(`unknown mode ${what}`);
  }
  // maxRSS is in KiB: the peak of this whole process, which did nothing but open and measure.
  out.peakRss = process.resourceUsage().maxRSS * 1024;
  app.db.close();
  return out;
}
