import { z } from "zod";
import { UserError } from "../errors.ts";
import { MAX_TEXT, textProblem } from "../incidents/limits.ts";

/** Validates with zod and turns its first issue into a one-line UserError. */
export function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? "invalid";
  // Messages that already name what they are about ("severity must be …") need no prefix.
  throw new UserError(message.startsWith(what) ? message : `${what}: ${message}`);
}

export const numberArg = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .regex(/^#?\d+$/, { error: `${what} must be a number like 3` })
    .transform((s) => Number(s.replace("#", "")))
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: `${what} must be 1 or more` })
        .max(1_000_000_000),
    );

export const severityArg = z
  .string({ error: "severity is missing" })
  .regex(/^(?:sev)?[1-4]$/i, { error: "severity must be 1, 2, 3 or 4 (1 is the worst)" })
  .transform((s) => Number(s.slice(-1)));

/** A real calendar date, YYYY-MM-DD. */
export const dateArg = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "use YYYY-MM-DD" })
  // zod 4 runs refinements even after the regex failed, so the refinement must not assume a shape.
  .refine(
    (s) => {
      const date = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
    },
    { error: "no such date" },
  );

/** For commands that take no free text: anything typed after them is a mistake worth saying. */
export function noArguments(text: string): void {
  const extra = text.trim();
  if (extra !== "") throw new UserError(`unexpected "${extra.slice(0, 40)}"`);
}

export { MAX_TEXT, MAX_TITLE } from "../incidents/limits.ts";

export function requireText(text: string, what: string, max = MAX_TEXT): string {
  const trimmed = text.trim();
  const problem = textProblem(trimmed, what, max);
  if (problem) throw new UserError(problem);
  return trimmed;
}

/**
 * A user as typed: `<@U123|alice>` / `<@U123>` (Slack), `@alice:example.org` (Matrix), `@alice`,
 * or `me`. Returns an id and a display name; adapters render the id as a mention where they can.
 */
export function parseUser(
  token: string | undefined,
  me: { id: string; name: string; osAccount?: boolean },
): { id: string; name: string } {
  if (!token) throw new UserError("user is missing: mention them, e.g. @alice");
  if (token.toLowerCase() === "me") {
    // A terminal session knows only the OS account, which must not end up in a post-mortem.
    if (me.osAccount) {
      throw new UserError(
        `"me" here is the terminal's account (${me.name}), not a chat name: name the person, e.g. @alice`,
      );
    }
    return { id: me.id, name: me.name };
  }
  const slack = /^<@([A-Z0-9]+)(?:\|([^>]+))?>$/.exec(token);
  if (slack) return { id: slack[1]!, name: slack[2] ? `@${slack[2]}` : token };
  if (/^@[^\s]+$/.test(token)) return { id: token, name: token };
  throw new UserError(`"${token}" is not a user: mention them, e.g. @alice`);
}
