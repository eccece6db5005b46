import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import {
  CLEAR_SITE_DATA,
  getSession,
  getUser,
  PRIVATE_PAGE_HEADERS,
  redirectWithCookies,
  requireUser,
  signOut,
} from "~/auth/session.server";
import { AccountNav } from "~/components/account-nav";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { ErrorList, Field, useFormFeedback } from "~/components/form-fields";
import { DeleteAccountSchema } from "~/models/account-schema.server";
import { attemptPasswordReentry } from "~/models/password-attempts.server";
import { describeWait } from "~/models/rate-limit.server";
import { deleteAccount, verifyAccountPassword } from "~/models/user.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyWithErrors } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const LABELS = { confirm: "I understand", password: "Your password" };

const SECRET_FIELDS = ["password"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (new URL(request.url).searchParams.get("deleted") && !(await getUser(request, context))) {
    return { deleted: true as const, username: null };
  }
  const user = await requireUser(request, context);
  return { deleted: false as const, username: user.username };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = await parseForm(request, DeleteAccountSchema);
  if (submission.status !== "success") return rejectedForm(submission, { hideFields: SECRET_FIELDS });
  const session = await getSession(request, context);
  const attempt = await attemptPasswordReentry({
    userId: user.id,
    sessionId: session?.id ?? "",
    check: async () =>
      (await verifyAccountPassword({ userId: user.id, password: submission.value.password }))
        ? { isRight: true, value: null }
        : { isRight: false },
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
      { password: "Your password is not right. Check it and try again." },
      { hideFields: SECRET_FIELDS },
    );
  }
  await signOut(request, context);
  await deleteAccount({ userId: user.id });
  return redirectWithCookies("/account/delete?deleted=1", context, CLEAR_SITE_DATA);
}

export default function DeleteAccountRoute() {
  const { deleted, username } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  if (deleted) {
    return (
      <div className="form-page">
        <h1>Your account has been deleted</h1>
        <p>We have removed your personal details and signed you out. Thank you for taking part.</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <p className="eyebrow">Your account</p>
      <h1>Delete your account</h1>
      <AccountNav username={username} />
      <h2>What happens when you delete your account</h2>
      <ul>
        <li>
          Your name, email address, organisation, job role and bio are removed, and you are signed out everywhere.
        </li>
        <li>
          Your posts in discussions stay, so that conversations still make sense, but they are shown as written by
          “Former member”.
        </li>
        <li>
          Library items you wrote or are credited on stay published, credited to “Former member” instead of your name,
          and your author page goes. Ask a moderator if you want an item taken down as well.
        </li>
        <li>This cannot be undone. You can create a new account later with the same email address.</li>
      </ul>
      <p>
        You may want to{" "}
        <a href="/account/data" download>
          download your data
        </a>{" "}
        first.
      </p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field in LABELS ? `#${field}` : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <div className={reply.errorOf("confirm") ? "field field--error" : "field"}>
          <ErrorList id="confirm-error" messages={[reply.errorOf("confirm")]} />
          <div className="checkbox">
            <input
              type="checkbox"
              id="confirm"
              name="confirm"
              value="yes"
              defaultChecked={reply.valueOf("confirm") === "yes"}
              aria-invalid={reply.errorOf("confirm") ? true : undefined}
              aria-describedby={reply.errorOf("confirm") ? "confirm-error" : undefined}
            />
            <label htmlFor="confirm">I understand that deleting my account cannot be undone</label>
          </div>
        </div>
        <Field
          name="password"
          type="password"
          label={LABELS.password}
          hint="To make sure it is you."
          autoComplete="current-password"
          required
          error={reply.errorOf("password")}
        />
        <button type="submit" className="button button--warning" disabled={isSubmitting}>
          {isSubmitting ? "Deleting…" : "Delete my account"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Delete your account", description: "Delete your Procurement Commons account." });
