import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";

import { PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { RadiosField } from "~/components/form-fields";
import { getEmailPreferences, updateEmailPreferences } from "~/models/email-preference.server";
import {
  EMAIL_FREQUENCIES,
  EMAIL_FREQUENCY_VALUES,
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CATEGORY_KEYS,
  type NotificationCategory,
} from "~/models/email-vocabulary";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const FrequencySchema = z.enum(EMAIL_FREQUENCY_VALUES, { error: "Choose how often to get these emails." }).optional();
const PreferencesSchema = z.object(
  Object.fromEntries(NOTIFICATION_CATEGORY_KEYS.map((category) => [category, FrequencySchema])) as Record<
    NotificationCategory,
    typeof FrequencySchema
  >,
);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return {
    username: user.username,
    isConfirmed: user.isEmailVerified,
    preferences: await getEmailPreferences({ actor: user }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = await parseForm(request, PreferencesSchema);
  if (submission.status !== "success") return rejectedForm(submission);
  await updateEmailPreferences({ actor: user, preferences: submission.value });
  return redirectWithCookies("/account/notifications?saved=1", context);
}

export default function NotificationSettingsRoute() {
  const { username, isConfirmed, preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Email notifications</h1>
      <AccountNav username={username} />
      <ErrorSummary problems={replyProblems(reply)} submission={actionData} />
      {searchParams.get("saved") && !reply.hasErrors ? (
        <div className="notice notice--success" role="status">
          <p>Your email settings have been saved.</p>
        </div>
      ) : null}
      {!isConfirmed ? (
        <p className="notice notice--warning">
          We send notifications only to a confirmed address. Confirm yours first (see the top of the page).
        </p>
      ) : null}
      <p>
        Choose how you hear about each kind of activity. Digests arrive at 7am: the daily one every day, the weekly one
        on Mondays. Security emails about your account always come, straight away, and no setting turns them off:
        password and address changes, someone signing up with your address, and wrong passwords tried for your account.
      </p>
      <Form method="post" className="stack-form">
        {NOTIFICATION_CATEGORY_KEYS.map((category) => (
          <RadiosField
            key={category}
            name={category}
            legend={NOTIFICATION_CATEGORIES[category].label}
            hint={NOTIFICATION_CATEGORIES[category].hint}
            options={EMAIL_FREQUENCIES}
            defaultValue={preferences[category]}
            error={reply.errorOf(category)}
          />
        ))}
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save email settings"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Email notifications", description: "Choose which emails Procurement Commons sends you." });
