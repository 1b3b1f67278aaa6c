import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../logging.ts";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function line(parts: unknown[]): string {
  return parts.map((p) => (p instanceof Error ? p.message : String(p))).join(" ");
}

/**
 * Bolt and its Socket Mode client log through our pino logger (one logger per module),
 * so their lines carry the same structure and redaction as ours. Level changes stay with pino.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ module: "bolt" });
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: () => {},
    getLevel: () => LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
