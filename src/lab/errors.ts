// Lab failures a person can fix (not root, a tool missing, a port taken): a cause plus a next step.
export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    message: string,
    /** What to do next. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
