import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, fieldProblems } from "~/components/error-summary";
import { SelectField, TextAreaField, TextField, useFormFeedback } from "~/components/form-fields";
import { ProfileSchema } from "~/models/account-schema.server";
import { getAccount, updateProfile } from "~/models/user.server";
import { ORGANISATION_TYPES, SIDES } from "~/models/vocabulary";
import { keptValues, parseForm } from "~/utils/forms";
import { pageMeta } from "~/utils/meta";
import { readFormData } from "~/utils/forms.server";

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
  const account = await getAccount({ userId: user.id });
  if (!account) throw new Response("Your account could not be found.", { status: 404 });
  return { account };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await readFormData(request);
  const form = parseForm(ProfileSchema, formData);
  if (!form.success) return Response.json({ errors: form.errors, values: keptValues(formData) }, { status: 400 });
  await updateProfile({ userId: user.id, profile: form.data });
  return redirectWithCookies("/account?saved=1", context);
}

export default function AccountRoute() {
  const { account } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string> | undefined;
  const values: Record<string, string | null> = actionData?.values ?? {
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
      {searchParams.get("saved") && !errors ? (
        <div className="notice notice--success" role="status">
          <p>Your profile has been saved.</p>
        </div>
      ) : null}
      <p>
        Signed in as <strong>{account.email}</strong>. Your email address is never shown to other members.
      </p>
      <ErrorSummary
        problems={fieldProblems(errors, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <TextField
          name="displayName"
          label={LABELS.displayName}
          autoComplete="name"
          required
          maxLength={80}
          defaultValue={values.displayName}
          error={errors?.displayName}
        />
        <SelectField name="side" label={LABELS.side} options={SIDES} defaultValue={values.side} error={errors?.side} />
        <TextField
          name="organisation"
          label={LABELS.organisation}
          autoComplete="organization"
          maxLength={120}
          defaultValue={values.organisation}
          error={errors?.organisation}
        />
        <SelectField
          name="organisationType"
          label={LABELS.organisationType}
          options={ORGANISATION_TYPES}
          defaultValue={values.organisationType}
          error={errors?.organisationType}
        />
        <TextField
          name="jobRole"
          label={LABELS.jobRole}
          autoComplete="organization-title"
          maxLength={120}
          defaultValue={values.jobRole}
          error={errors?.jobRole}
        />
        <TextAreaField
          name="bio"
          label={LABELS.bio}
          hint="A few lines about your work, shown on your public profile. Up to 1,000 characters."
          maxLength={1000}
          defaultValue={values.bio}
          error={errors?.bio}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save profile"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Your profile", description: "Edit your Procurement Commons profile." });
