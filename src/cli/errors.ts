// Errors a user can cause and fix: printed as a cause and a next step, never as a stack trace.

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** What to do next, printed on its own line. */
    readonly hint?: string,
    /** Process exit code (curl-like codes for `get`; 2 for usage, 1 otherwise). */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
