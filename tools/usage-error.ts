/** A mistake in how the command was called: exit code 2, and the message says how to call it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
