// Errors a model throws for the route to turn into a response; none of them is a bug.

/** Too many attempts of something rate limited: try again after the wait. */
export class TooManyAttemptsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "TooManyAttemptsError";
  }
}

/** The input cannot be used as it is: one message per field ("form" for the whole form). */
export class InvalidInputError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(" "));
    this.name = "InvalidInputError";
  }
}

/** The acting member may not do this. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}
