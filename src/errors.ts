/**
 * Two kinds of error (docs/architecture.md): a UserError's message is safe to show in chat; anything else is
 * a bug, logged with its stack and shown only as "something went wrong (ref …)".
 */
export class UserError extends Error {
  override readonly name = "UserError";
  /** Usage line of the command that failed, appended to the reply by the dispatcher. */
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
