// Errors a model throws for the route boundary (app/http/domain-errors.server.ts) to turn into a
// response; none of them is a bug.

/** What was asked for does not exist, or the actor may not know that it does. */
export class NotFoundError extends Error {
  constructor(message = "We could not find that page.") {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The acting member may not do this. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The input cannot be used as it is: one message per field ("form" for the whole form). */
export class InvalidInputError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(" "));
    this.name = "InvalidInputError";
  }

  /** One problem, with one field (or the whole form) to fix. */
  static of(field: string, message: string) {
    return new InvalidInputError({ [field]: message });
  }
}

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
