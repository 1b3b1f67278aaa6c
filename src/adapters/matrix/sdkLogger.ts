import { format } from "node:util";
import type { ICreateClientOpts } from "matrix-js-sdk";
import { logger as globalLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "../../logging.ts";

type SdkLogger = NonNullable<ICreateClientOpts["logger"]>;

/**
 * Routes matrix-js-sdk's own log lines into our pino logger (one logger, handed to the
 * SDK). The SDK is chatty at info level, so its info becomes our debug.
 */
export function sdkLogger(log: Logger, namespace = "matrix-js-sdk"): SdkLogger {
  const child = log.child({ sdk: namespace });
  const line = (msg: unknown[]) => format(...msg);
  return {
    trace: (...msg: unknown[]) => child.trace(line(msg)),
    debug: (...msg: unknown[]) => child.trace(line(msg)),
    info: (...msg: unknown[]) => child.debug(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    getChild: (name: string) => sdkLogger(log, `${namespace}:${name}`),
  };
}

/**
 * Some SDK modules (the scheduler, event models) log through the SDK's global loglevel logger,
 * which writes to the console — stdout belongs to the terminal adapter. Its methods are replaced
 * in place so those lines reach pino too.
 */
export function routeGlobalSdkLogger(log: Logger): void {
  const routed = sdkLogger(log, "matrix-js-sdk:global");
  Object.assign(globalLogger, {
    trace: routed.trace,
    debug: routed.debug,
    info: routed.info,
    warn: routed.warn,
    error: routed.error,
    log: routed.debug,
    // Children made later (per room or session) would otherwise still print to the console.
    getChild: routed.getChild,
  });
}
