import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { getSession, PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, fieldProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { ChangePasswordSchema } from "~/models/account-schema.server";
import { attemptPasswordReentry } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { changePassword } from "~/models/user.server";
import { parseFormFields } from "~/utils/forms";
import { readFormData } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = {
  currentPassword: "Current password",
  newPassword: "New password",
  confirmPassword: "Confirm new password",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { username: user.username };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const session = await getSession(request, context);
  const form = parseFormFields(ChangePasswordSchema, await readFormData(request));
  if (!form.success) return Response.json({ errors: form.errors }, { status: 400 });
  const attempt = await attemptPasswordReentry({
    userId: user.id,
    sessionId: session?.id ?? "",
    check: async () => {
      const result = await changePassword({
        userId: user.id,
        currentPassword: form.data.currentPassword,
        newPassword: form.data.newPassword,
        keepSessionId: session?.id ?? "",
      });
      return result.changed ? { isRight: true, value: null } : { isRight: false };
    },
  });
  if (attempt.kind === "refused") {
    return Response.json(
      { errors: { form: `Too many wrong passwords. ${describeWait(attempt.retryAfterSeconds)}` } },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  if (attempt.kind === "wrong") {
    return Response.json(
      { errors: { currentPassword: "Your current password is not right. Check it and try again." } },
      { status: 400 },
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
  const errors = actionData?.errors as Record<string, string> | undefined;
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Change your password</h1>
      <AccountNav username={username} />
      {searchParams.get("changed") && !errors ? (
        <div className="notice notice--success" role="status">
          <p>Your password has been changed. You have been signed out everywhere else.</p>
        </div>
      ) : null}
      <p>Changing your password signs you out on every other device and browser.</p>
      <ErrorSummary
        problems={fieldProblems(errors, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <Field
          name="currentPassword"
          type="password"
          label={LABELS.currentPassword}
          autoComplete="current-password"
          required
          error={errors?.currentPassword}
        />
        <Field
          name="newPassword"
          type="password"
          label={LABELS.newPassword}
          hint="At least 8 characters; avoid passwords others commonly use."
          autoComplete="new-password"
          required
          maxLength={256}
          error={errors?.newPassword}
        />
        <Field
          name="confirmPassword"
          type="password"
          label={LABELS.confirmPassword}
          autoComplete="new-password"
          required
          maxLength={256}
          error={errors?.confirmPassword}
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
