import { parseWithZod, type Submission } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { z } from "zod";

import { ForbiddenError, InvalidInputError, NotFoundError, TooManyAttemptsError } from "~/models/domain-errors.server";
import type { FormReply } from "~/utils/forms";

// Every action reads its form through here, so a body that is not a form (text/plain, JSON, a
// broken multipart) is a 4xx with a message rather than a 500, and every form answers in the one
// reply shape (Conform's) whatever went wrong.

const FORM_CONTENT_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function isFormSubmission(request: Request) {
  return FORM_CONTENT_TYPES.test(request.headers.get("Content-Type") ?? "");
}

/** The submitted form; a thrown 415 for anything not sent as a form, a 400 for a form that cannot be read. */
export async function readFormData(request: Request) {
  if (!isFormSubmission(request)) {
    throw new Response("That was not sent as a form, so nothing was changed. Send it from the form on our page.", {
      status: 415,
    });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response("We could not read that form, so nothing was changed. Go back and send it again.", {
      status: 400,
    });
  }
}

export type FormSubmission<S extends z.ZodType> = Submission<z.input<S>, string[], z.output<S>>;

/** Validates a submitted form with its schema; the schema's own messages are what the person reads. */
export function parseSubmission<S extends z.ZodType>(formData: FormData, schema: S): FormSubmission<S> {
  // Without auto-coercion the schema sees exactly what was sent ("" stays ""), so its messages apply.
  return parseWithZod(formData, { schema, disableAutoCoercion: true });
}

/**
 * One part of a multipart upload, up to `limit` bytes. A larger part is read to its end but not
 * kept, so the fields after it still arrive and the form can say which part was too large.
 */
export async function readPartWithin(data: AsyncIterable<Uint8Array>, limit: number) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return { bytes: new Uint8Array(Buffer.concat(chunks)), tooLarge };
}

/** Reads the request's form and validates it (see `readFormData` for bodies that are not forms). */
export async function parseForm<S extends z.ZodType>(request: Request, schema: S) {
  return parseSubmission(await readFormData(request), schema);
}

type ReplyOptions = {
  /** Fields never sent back (passwords). */
  hideFields?: string[];
  status?: number;
  headers?: HeadersInit;
};

type AnySubmission = { reply: Submission<unknown>["reply"] };

/** The 400 for a submission its schema refused, with the person's input. */
export function rejectedForm(submission: AnySubmission, { hideFields, status = 400, headers }: ReplyOptions = {}) {
  return data<FormReply>(submission.reply({ hideFields }), { status, headers });
}

/** A reply with messages of our own: by field, "form" for the form as a whole; one or several each. */
export function replyWithErrors(
  submission: AnySubmission,
  fieldErrors: Record<string, string | readonly string[]>,
  { hideFields, status = 400, headers }: ReplyOptions = {},
) {
  const messages = (value: string | readonly string[] | undefined) =>
    value === undefined ? [] : typeof value === "string" ? [value] : [...value];
  const { form, ...byField } = fieldErrors;
  return data<FormReply>(
    submission.reply({
      formErrors: messages(form),
      fieldErrors: Object.fromEntries(Object.entries(byField).map(([name, value]) => [name, messages(value)])),
      hideFields,
    }),
    { status, headers },
  );
}

/** A reply to a form whose fields could not be read at all (too large, or not a form): nothing to send back. */
export function replyToUnreadForm(fieldErrors: Record<string, string | readonly string[]>, options: ReplyOptions = {}) {
  return replyWithErrors(parseSubmission(new FormData(), z.object({})), fieldErrors, options);
}

/**
 * The route boundary for a form: a domain error the person can act on becomes a reply next to
 * the form (400, or 429 with Retry-After); not found and forbidden become the error page; anything
 * else is a bug and is thrown on.
 */
export function replyToDomainError(submission: AnySubmission, error: unknown, options: ReplyOptions = {}) {
  if (error instanceof InvalidInputError) return replyWithErrors(submission, error.fieldErrors, options);
  if (error instanceof TooManyAttemptsError) {
    const headers = new Headers(options.headers);
    headers.set("Retry-After", String(error.retryAfterSeconds));
    return replyWithErrors(submission, { form: error.message }, { ...options, status: 429, headers });
  }
  throw responseForDomainError(error);
}

/** Not found and forbidden as the responses the error page shows; any other error unchanged. */
export function responseForDomainError(error: unknown) {
  if (error instanceof NotFoundError) return new Response(error.message, { status: 404 });
  if (error instanceof ForbiddenError) return new Response(error.message, { status: 403 });
  if (error instanceof TooManyAttemptsError)
    return new Response(error.message, {
      status: 429,
      headers: { "Retry-After": String(error.retryAfterSeconds) },
    });
  if (error instanceof InvalidInputError) return new Response(error.message, { status: 400 });
  return error;
}

/**
 * Wraps a function a loader or action calls so the domain errors its models throw become responses.
 * Not for `export const loader = withDomainErrors(...)`: a top-level call stays in the browser
 * bundle, where this module is empty, and breaks hydration; route exports stay plain functions.
 */
export function withDomainErrors<Args extends unknown[], Result>(handle: (...args: Args) => Promise<Result>) {
  return async (...args: Args): Promise<Result> => {
    try {
      return await handle(...args);
    } catch (error) {
      throw responseForDomainError(error);
    }
  };
}
