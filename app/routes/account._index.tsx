import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { getSession, PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { SelectField, TextareaField, Field, useFormFeedback } from "~/components/form-fields";
import { ProfileSchema } from "~/models/account-schema.server";
import { countOtherSessions, endOtherSessions, getAccount, updateProfile } from "~/models/user.server";
import { ORGANISATION_TYPES, SIDES } from "~/models/vocabulary";
import { readReply, textField } from "~/utils/forms";
import { parseSubmission, readFormData, rejectedForm } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = {
  displayName: "Your name",
  side: "Which side of the table do you sit on? (optional)",
  organisation: "Organisation (optional)",
  organisationType: "Organisation type (optional)",
  jobRole: "Job role (optional)",
  bio: "About you (optional)",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const session = await getSession(request, context);
  const [account, otherSessions] = await Promise.all([
    getAccount({ userId: user.id }),
    countOtherSessions({ userId: user.id, keepSessionId: session?.id ?? "" }),
  ]);
  if (!account) throw new Response("Your account could not be found.", { status: 404 });
  return { account, otherSessions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await readFormData(request);
  if (textField(formData, "intent") === "sign-out-others") {
    const session = await getSession(request, context);
    await endOtherSessions({ userId: user.id, keepSessionId: session?.id ?? "" });
    return redirectWithCookies("/account?signedOutElsewhere=1#sessions", context);
  }
  const submission = parseSubmission(formData, ProfileSchema);
  if (submission.status !== "success") return rejectedForm(submission);
  await updateProfile({ userId: user.id, profile: submission.value });
  return redirectWithCookies("/account?saved=1", context);
}

export default function AccountRoute() {
  const { account, otherSessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  const saved: Record<string, string | null> = {
    displayName: account.display_name,
    side: account.side,
    organisation: account.organisation,
    organisationType: account.organisation_type,
    jobRole: account.job_role,
    bio: account.bio,
  };
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Your profile</h1>
      <AccountNav username={account.username} />
      {searchParams.get("saved") && !reply.hasErrors ? (
        <div className="notice notice--success" role="status">
          <p>Your profile has been saved.</p>
        </div>
      ) : null}
      <p>
        Signed in as <strong>{account.email}</strong>. Your email address is never shown to other members.
      </p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <Field
          name="displayName"
          label={LABELS.displayName}
          autoComplete="name"
          required
          maxLength={80}
          defaultValue={reply.valueOr("displayName", saved.displayName)}
          error={reply.errorOf("displayName")}
        />
        <SelectField
          name="side"
          label={LABELS.side}
          options={SIDES}
          defaultValue={reply.valueOr("side", saved.side)}
          error={reply.errorOf("side")}
        />
        <Field
          name="organisation"
          label={LABELS.organisation}
          autoComplete="organization"
          maxLength={120}
          defaultValue={reply.valueOr("organisation", saved.organisation)}
          error={reply.errorOf("organisation")}
        />
        <SelectField
          name="organisationType"
          label={LABELS.organisationType}
          options={ORGANISATION_TYPES}
          defaultValue={reply.valueOr("organisationType", saved.organisationType)}
          error={reply.errorOf("organisationType")}
        />
        <Field
          name="jobRole"
          label={LABELS.jobRole}
          autoComplete="organization-title"
          maxLength={120}
          defaultValue={reply.valueOr("jobRole", saved.jobRole)}
          error={reply.errorOf("jobRole")}
        />
        <TextareaField
          name="bio"
          label={LABELS.bio}
          hint="A few lines about your work, shown on your public profile. Up to 1,000 characters."
          maxLength={1000}
          defaultValue={reply.valueOr("bio", saved.bio)}
          error={reply.errorOf("bio")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save profile"}
        </button>
      </Form>
      <OtherSessions count={otherSessions} hasJustEnded={searchParams.get("signedOutElsewhere") === "1"} />
    </div>
  );
}

function OtherSessions({ count, hasJustEnded }: { count: number; hasJustEnded: boolean }) {
  return (
    <section aria-labelledby="sessions-heading" id="sessions">
      <h2 id="sessions-heading">Where you are signed in</h2>
      {hasJustEnded ? (
        <div className="notice notice--success" role="status">
          <p>You have been signed out of every other session. Only this browser is signed in now.</p>
        </div>
      ) : null}
      <p>
        {count === 0
          ? "You are not signed in anywhere else."
          : `You are also signed in on ${count} other ${count === 1 ? "browser or device" : "browsers or devices"}.`}
      </p>
      <p>
        If you think someone else is using your account, sign out of every other session, then change your password. You
        do not need your password to do this.
      </p>
      <Form method="post" className="stack-form">
        <input type="hidden" name="intent" value="sign-out-others" />
        <button type="submit" className="button button--secondary">
          Sign out of every other session
        </button>
      </Form>
    </section>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Your profile", description: "Edit your Procurement Commons profile." });
