import { expect } from "vitest";
import { UserError } from "../../src/errors.ts";
import type { WhenContext } from "../../src/incidents/time/parse.ts";

export const t = (iso: string) => Date.parse(iso);
/** A fixed "now" in winter: Thursday 2023-02-23 12:00 UTC. */
export const NOW = t("2023-02-23T12:00:00Z");
export const utcCtx: WhenContext = { now: NOW, zone: "UTC" };
export const berlin: WhenContext = { now: NOW, zone: "Europe/Berlin" };
/** For the 2023 DST switch days: "now" is well after them. */
export const later: WhenContext = { now: t("2024-01-01T00:00:00Z"), zone: "UTC" };

/** Runs `run`, which must throw a one-line UserError, and returns it. */
export function userError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).not.toContain("\n");
    return error as UserError;
  }
  throw new Error("expected a UserError");
}
