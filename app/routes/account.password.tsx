import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { getSession, PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { ChangePasswordSchema } from "~/models/account-schema.server";
import { attemptPasswordReentry } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { changePassword } from "~/models/user.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyWithErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = {
  currentPassword: "Current password",
  newPassword: "New password",
  confirmPassword: "Confirm new password",
};

const SECRET_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { username: user.username };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const session = await getSession(request, context);
  const submission = await parseForm(request, ChangePasswordSchema);
  if (submission.status !== "success") return rejectedForm(submission, { hideFields: SECRET_FIELDS });
  const attempt = await attemptPasswordReentry({
    userId: user.id,
    sessionId: session?.id ?? "",
    check: async () => {
      const result = await changePassword({
        userId: user.id,
        currentPassword: submission.value.currentPassword,
        newPassword: submission.value.newPassword,
        keepSessionId: session?.id ?? "",
      });
      return result.changed ? { isRight: true, value: null } : { isRight: false };
    },
  });
  if (attempt.kind === "refused") {
    return replyWithErrors(
      submission,
      { form: `Too many wrong passwords. ${describeWait(attempt.retryAfterSeconds)}` },
      { hideFields: SECRET_FIELDS, status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  if (attempt.kind === "wrong") {
    return replyWithErrors(
      submission,
      { currentPassword: "Your current password is not right. Check it and try again." },
      { hideFields: SECRET_FIELDS },
    );
  }
  return redirectWithCookies("/account/password?changed=1", context);
}

export default function ChangePasswordRoute() {
  const { username } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Change your password</h1>
      <AccountNav username={username} />
      {searchParams.get("changed") && !reply.hasErrors ? (
        <div className="notice notice--success" role="status">
          <p>Your password has been changed. You have been signed out everywhere else.</p>
        </div>
      ) : null}
      <p>Changing your password signs you out on every other device and browser.</p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <Field
          name="currentPassword"
          type="password"
          label={LABELS.currentPassword}
          autoComplete="current-password"
          required
          error={reply.errorOf("currentPassword")}
        />
        <Field
          name="newPassword"
          type="password"
          label={LABELS.newPassword}
          hint="At least 8 characters; avoid passwords others commonly use."
          autoComplete="new-password"
          required
          maxLength={256}
          error={reply.errorOf("newPassword")}
        />
        <Field
          name="confirmPassword"
          type="password"
          label={LABELS.confirmPassword}
          autoComplete="new-password"
          required
          maxLength={256}
          error={reply.errorOf("confirmPassword")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Changing…" : "Change password"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Change your password", description: "Change your Procurement Commons password." });
