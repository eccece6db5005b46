import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { redirectIfSignedIn, redirectWithCookies, safeRedirectPath, signIn } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { SignInSchema } from "~/models/account-schema.server";
import { attemptSignIn } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyWithErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = { email: "Email address", password: "Password" };
const SECRET_FIELDS = ["password"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, SignInSchema);
  if (submission.status !== "success") return rejectedForm(submission, { hideFields: SECRET_FIELDS });

  const attempt = await attemptSignIn({ ...submission.value, clientAddress: context.clientIp ?? "unknown" });
  if (attempt.kind === "refused") {
    return replyWithErrors(
      submission,
      { form: `Too many attempts to sign in. ${describeWait(attempt.retryAfterSeconds)}` },
      { hideFields: SECRET_FIELDS, status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  if (attempt.kind === "wrong") {
    // One message for a wrong password and an unknown email, so the form does not reveal who has an account.
    return replyWithErrors(
      submission,
      { form: "The email address or password is not right. Check them and try again." },
      { hideFields: SECRET_FIELDS },
    );
  }
  await signIn(request, context, attempt.value.userId);
  return redirectWithCookies(safeRedirectPath(submission.value.redirectTo), context);
}

export default function SignInRoute() {
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  const redirectTo = reply.valueOf("redirectTo") ?? searchParams.get("redirectTo") ?? "";
  return (
    <div className="form-page">
      <h1>Sign in</h1>
      <p className="lede">
        New to Procurement Commons?{" "}
        <Link to={redirectTo ? `/sign-up?redirectTo=${encodeURIComponent(redirectTo)}` : "/sign-up"}>
          Create an account
        </Link>
        .
      </p>
      {searchParams.get("reset") && !actionData ? (
        <div className="notice notice--success" role="status">
          <p>Your password has been changed and you have been signed out everywhere. Sign in with your new password.</p>
        </div>
      ) : null}
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="email"
          type="email"
          label={LABELS.email}
          autoComplete="email"
          required
          defaultValue={reply.valueOf("email")}
          error={reply.errorOf("email")}
        />
        <Field
          name="password"
          type="password"
          label={LABELS.password}
          autoComplete="current-password"
          required
          error={reply.errorOf("password")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => pageMeta({ title: "Sign in", description: "Sign in to Procurement Commons." });
