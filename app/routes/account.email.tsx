import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";

import { getSession, PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { EmailSchema } from "~/models/account-schema.server";
import { requestEmailChange, resendAddressConfirmation } from "~/models/email-verification.server";
import { attemptPasswordReentry } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { getAccount } from "~/models/user.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, replyWithErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("resend") }),
  z.object({
    intent: z.literal("change"),
    newEmail: EmailSchema,
    password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }),
  }),
]);

const LABELS = { newEmail: "New email address", password: "Your password" };

const SECRET_FIELDS = ["password"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const account = await getAccount({ userId: user.id });
  if (!account) throw new Response("Your account could not be found.", { status: 404 });
  return { username: account.username, email: account.email, isConfirmed: user.isEmailVerified };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = await parseForm(request, IntentSchema);
  if (submission.status !== "success") return rejectedForm(submission, { hideFields: SECRET_FIELDS });
  try {
    if (submission.value.intent === "resend") {
      const result = await resendAddressConfirmation({ actor: user });
      return redirectWithCookies(`/account/email?sent=${result.alreadyConfirmed ? "confirmed" : "resend"}`, context);
    }
    const { newEmail, password } = submission.value;
    const attempt = await attemptPasswordReentry({
      userId: user.id,
      sessionId: (await getSession(request, context))?.id ?? "",
      check: async () => {
        const result = await requestEmailChange({ actor: user, newEmail, password });
        return result.changed ? { isRight: true, value: null } : { isRight: false };
      },
    });
    if (attempt.kind === "refused")
      return replyWithErrors(
        submission,
        { form: `Too many wrong passwords. ${describeWait(attempt.retryAfterSeconds)}` },
        { hideFields: SECRET_FIELDS, status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
      );
    if (attempt.kind === "wrong")
      return replyWithErrors(
        submission,
        { password: "Your password is not right. Check it and try again." },
        { hideFields: SECRET_FIELDS },
      );
    return redirectWithCookies("/account/email?sent=change", context);
  } catch (error) {
    return replyToDomainError(submission, error, { hideFields: SECRET_FIELDS });
  }
}

const SENT_MESSAGES: Record<string, string> = {
  resend: "We have sent the link again. It can take a few minutes to arrive: check your spam or junk folder too.",
  confirmed: "Your email address is already confirmed.",
  change:
    "We have sent a link to the new address. Your address changes when you follow it; until then we keep using this one.",
};

export default function AccountEmailRoute() {
  const { username, email, isConfirmed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  const sent = SENT_MESSAGES[searchParams.get("sent") ?? ""];
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Your email address</h1>
      <AccountNav username={username} />
      {sent && !reply.hasErrors ? (
        <div className="notice notice--success" role="status">
          <p>{sent}</p>
        </div>
      ) : null}
      <p>
        Your account uses <strong>{email}</strong>
        {isConfirmed ? ", which you have confirmed." : ", which you have not confirmed yet."} We never show it to other
        members.
      </p>
      {!isConfirmed ? (
        <Form method="post" className="stack-form">
          <input type="hidden" name="intent" value="resend" />
          <p>Until you follow the link we sent to it, you can read and save drafts but not post or publish.</p>
          <button type="submit" className="button button--secondary" disabled={isSubmitting}>
            Send the link again
          </button>
        </Form>
      ) : null}
      <h2>Change your email address</h2>
      <p>We will send a link to the new address to check it is yours, and tell this address once it has changed.</p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <input type="hidden" name="intent" value="change" />
        <Field
          name="newEmail"
          type="email"
          label={LABELS.newEmail}
          autoComplete="email"
          required
          defaultValue={reply.valueOf("newEmail")}
          error={reply.errorOf("newEmail")}
        />
        <Field
          name="password"
          type="password"
          label={LABELS.password}
          hint="To check it is you."
          autoComplete="current-password"
          required
          error={reply.errorOf("password")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send a link to the new address"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Your email address", description: "Confirm or change the email address of your account." });
