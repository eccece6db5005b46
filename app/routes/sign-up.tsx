import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { redirectIfSignedIn, redirectWithCookies, safeRedirectPath } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, Fieldset, SelectField, useFormFeedback } from "~/components/form-fields";
import { SignUpSchema } from "~/models/account-schema.server";
import { describeWait, RATE_LIMITS, takeRateLimit } from "~/models/rate-limit.server";
import { createAccount } from "~/models/user.server";
import { ORGANISATION_TYPES, SIDES } from "~/models/vocabulary";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyWithErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = {
  displayName: "Your name",
  email: "Email address",
  password: "Password",
  organisation: "Organisation",
  organisationType: "Organisation type",
  jobRole: "Job role",
  side: "Which side of the table do you sit on?",
};

const SECRET_FIELDS = ["password"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, SignUpSchema);
  if (submission.status !== "success") return rejectedForm(submission, { hideFields: SECRET_FIELDS });

  const limit = await takeRateLimit([
    { key: `sign-up:ip:${context.clientIp ?? "unknown"}`, rule: RATE_LIMITS.signUpPerIp },
  ]);
  if (!limit.allowed) {
    return replyWithErrors(
      submission,
      {
        form: `Too many accounts have been created from your network recently. ${describeWait(limit.retryAfterSeconds)}`,
      },
      { hideFields: SECRET_FIELDS, status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  // A new account and an address that already has one get the same answer, and neither is signed
  // in: the form must not tell strangers who has an account. The owner of a taken address is told by email.
  await createAccount(submission.value);
  const redirectTo = safeRedirectPath(
    typeof submission.payload.redirectTo === "string" ? submission.payload.redirectTo : null,
  );
  const back = redirectTo === "/" ? "" : `&redirectTo=${encodeURIComponent(redirectTo)}`;
  return redirectWithCookies(`/sign-up?sent=1${back}`, context);
}

export default function SignUpRoute() {
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  const redirectTo = reply.valueOf("redirectTo") ?? searchParams.get("redirectTo") ?? "";
  if (searchParams.get("sent") && !actionData) {
    const signInHref = redirectTo ? `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}` : "/sign-in";
    return (
      <div className="form-page">
        <h1>Check your email</h1>
        <p className="lede">
          We have sent a message to the address you gave. Follow the link in it to confirm your address: until you do,
          you can sign in to read and save drafts, but not post or publish.
        </p>
        <p>
          It can take a few minutes to arrive: check your spam or junk folder too. If you already had an account with
          that address, the message says so instead, and how to reset your password.
        </p>
        <p>
          <Link to={signInHref} className="button">
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>Create an account</h1>
      <p className="lede">
        Join practitioners sharing what works in public procurement. Already have an account?{" "}
        <Link to={redirectTo ? `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}` : "/sign-in"}>Sign in</Link>.
      </p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="displayName"
          label={LABELS.displayName}
          hint="Shown beside everything you write."
          autoComplete="name"
          required
          maxLength={80}
          defaultValue={reply.valueOf("displayName")}
          error={reply.errorOf("displayName")}
        />
        <Field
          name="email"
          type="email"
          label={LABELS.email}
          hint="We never show it to other members."
          autoComplete="email"
          required
          defaultValue={reply.valueOf("email")}
          error={reply.errorOf("email")}
        />
        <Field
          name="password"
          type="password"
          label={LABELS.password}
          hint="At least 8 characters. A few random words make a strong password that is easy to remember."
          autoComplete="new-password"
          required
          maxLength={256}
          error={reply.errorOf("password")}
        />
        <Fieldset
          legend="About your work"
          hint="In procurement, who is speaking matters: this is shown beside your name."
        >
          <SelectField
            name="side"
            label={LABELS.side}
            optional
            options={SIDES}
            defaultValue={reply.valueOf("side")}
            error={reply.errorOf("side")}
          />
          <Field
            name="organisation"
            label={LABELS.organisation}
            optional
            autoComplete="organization"
            maxLength={120}
            defaultValue={reply.valueOf("organisation")}
            error={reply.errorOf("organisation")}
          />
          <SelectField
            name="organisationType"
            label={LABELS.organisationType}
            optional
            options={ORGANISATION_TYPES}
            defaultValue={reply.valueOf("organisationType")}
            error={reply.errorOf("organisationType")}
          />
          <Field
            name="jobRole"
            label={LABELS.jobRole}
            optional
            autoComplete="organization-title"
            maxLength={120}
            defaultValue={reply.valueOf("jobRole")}
            error={reply.errorOf("jobRole")}
          />
        </Fieldset>
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Creating your account…" : "Create account"}
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({
    title: "Create an account",
    description: "Join Procurement Commons to share and discuss procurement practice.",
  });
