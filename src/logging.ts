import pino, { type Logger } from "pino";

export type { Logger };

/**
 * Tells a metrics observer (src/metrics.ts) what happened, after the fact: one that throws is
 * logged and never becomes the failure of the work it counts (a rolled-back message, a committed
 * command reported as failed, an alert incident never announced).
 */
export function tellObserver(log: Logger, tell: () => void): void {
  try {
    tell();
  } catch (error) {
    log.warn({ err: error }, "metrics observer failed");
  }
}

/**
 * Structured JSON logs on stderr (stdout belongs to the terminal adapter's replies and to piped
 * drafts). On a terminal they are pretty-printed for people unless the caller says otherwise
 * (NO_COLOR, read by config.ts like every variable). Secrets are redacted by path.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  // A second line of defence: the config summary is redacted before logging, and adapters log
  // no credentials on purpose; these catch an object that carries one by accident.
  const secretKeys = [
    "token",
    "password",
    "accessToken",
    "access_token",
    "signingSecret",
    "passphrase",
  ];
  const redact = {
    paths: [
      ...secretKeys.flatMap((key) => [key, `*.${key}`]),
      "headers.authorization",
      "*.headers.authorization",
      "headers.cookie",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  };
  if (pretty) {
    return pino({
      level,
      redact,
      transport: {
        target: "pino-pretty",
        options: { destination: 2, translateTime: "SYS:HH:MM:ss" },
      },
    });
  }
  return pino({ level, redact }, pino.destination(2));
}
