import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { redirectIfSignedIn, redirectWithCookies, safeRedirectPath, signIn } from "~/auth/session.server";
import { ErrorSummary, fieldProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { SignInSchema } from "~/models/account-schema.server";
import { attemptSignIn } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { keptValues, parseFormFields } from "~/utils/forms";
import { readFormData } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = { email: "Email address", password: "Password" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const values = keptValues(formData, ["password"]);
  const form = parseFormFields(SignInSchema, formData);
  if (!form.success) return Response.json({ errors: form.errors, values }, { status: 400 });

  const attempt = await attemptSignIn({ ...form.data, clientAddress: context.clientIp ?? "unknown" });
  if (attempt.kind === "refused") {
    return Response.json(
      { errors: { form: `Too many attempts to sign in. ${describeWait(attempt.retryAfterSeconds)}` }, values },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  if (attempt.kind === "wrong") {
    // One message for a wrong password and an unknown email, so the form does not reveal who has an account.
    return Response.json(
      { errors: { form: "The email address or password is not right. Check them and try again." }, values },
      { status: 400 },
    );
  }
  await signIn(request, context, attempt.value.userId);
  return redirectWithCookies(safeRedirectPath(form.data.redirectTo), context);
}

export default function SignInRoute() {
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string> | undefined;
  const values: Record<string, string> = actionData?.values ?? {};
  const redirectTo = values.redirectTo ?? searchParams.get("redirectTo") ?? "";
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
        problems={fieldProblems(errors, (field) => (field in LABELS ? `#${field}` : undefined))}
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
          defaultValue={values.email}
          error={errors?.email}
        />
        <Field
          name="password"
          type="password"
          label={LABELS.password}
          autoComplete="current-password"
          required
          error={errors?.password}
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
