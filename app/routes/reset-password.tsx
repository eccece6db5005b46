import {
  type ActionFunctionArgs,
  data,
  redirect,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { redirectWithCookies } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, useFormFeedback } from "~/components/form-fields";
import { NewPasswordSchema } from "~/models/account-schema.server";
import { type TokenProblem, TokenRejectedError } from "~/models/account-token.server";
import { checkPasswordResetLink, resetPassword } from "~/models/password-reset.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

// The token is in the query string (never in the request log, which keeps paths only), and the
// page is neither stored nor sent as a referrer to other sites (same-origin: a form's Origin must still
// reach the CSRF check).
const TOKEN_PAGE_HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" };

const ResetPasswordSchema = z
  .object({
    token: z.string().max(200).default(""),
    newPassword: NewPasswordSchema,
    confirmPassword: z.string().optional(),
  })
  .superRefine((form, context) => {
    if (form.confirmPassword !== form.newPassword)
      context.addIssue({
        code: "custom",
        path: ["confirmPassword"],
        message: "The passwords do not match. Type the new password again.",
      });
  });

const PROBLEMS: Record<TokenProblem, { title: string; body: string }> = {
  unrecognised: {
    title: "This link is not recognised",
    body: "It may have been cut short or changed: copy the whole link from the email. Or ask for a new one.",
  },
  expired: {
    title: "This link has expired",
    body: "Links to reset a password work for 60 minutes. Ask for a new one and use it straight away.",
  },
  used: {
    title: "This link has already been used",
    body: "Each link works once. If you did not reset your password yourself, ask for a new link now.",
  },
  revoked: {
    title: "This link no longer works",
    body: "A newer link has been sent, or the password has been changed since. Use the newest email, or ask for a new link.",
  },
};

function problemResponse(problem: TokenProblem) {
  return data({ problem, token: "" }, { status: problem === "unrecognised" ? 400 : 410, headers: TOKEN_PAGE_HEADERS });
}

const SECRET_FIELDS = ["newPassword", "confirmPassword"];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const checked = await checkPasswordResetLink({ token });
  if (!checked.ok) return problemResponse(checked.problem);
  return data({ problem: null, token }, { headers: TOKEN_PAGE_HEADERS });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, ResetPasswordSchema);
  if (submission.status !== "success")
    return rejectedForm(submission, { hideFields: SECRET_FIELDS, headers: TOKEN_PAGE_HEADERS });
  const { token, newPassword } = submission.value;
  try {
    await resetPassword({ token, newPassword });
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    // The link's own page says what is wrong with it and offers a new one.
    return redirect(`/reset-password?token=${encodeURIComponent(token)}`, { status: 303, headers: TOKEN_PAGE_HEADERS });
  }
  return redirectWithCookies("/sign-in?reset=1", context);
}

export default function ResetPasswordRoute() {
  const { problem, token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useFormFeedback(actionData);
  const isSubmitting = useNavigation().state === "submitting";
  const reply = readReply(actionData);
  if (problem) {
    const { title, body } = PROBLEMS[problem];
    return (
      <div className="form-page">
        <h1>{title}</h1>
        <p className="lede">{body}</p>
        <p>
          <Link to="/forgot-password" className="button">
            Get a new link
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>Choose a new password</h1>
      <p className="lede">When you save it, you will be signed out everywhere and can sign in with the new password.</p>
      <ErrorSummary
        problems={replyProblems(reply, (field) =>
          field === "newPassword" || field === "confirmPassword" ? `#${field}` : undefined,
        )}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form" ref={formRef}>
        <input type="hidden" name="token" value={token} />
        <Field
          name="newPassword"
          type="password"
          label="New password"
          hint="At least 8 characters. A few random words make a strong password that is easy to remember."
          autoComplete="new-password"
          required
          maxLength={256}
          error={reply.errorOf("newPassword")}
        />
        <Field
          name="confirmPassword"
          type="password"
          label="Confirm new password"
          autoComplete="new-password"
          required
          maxLength={256}
          error={reply.errorOf("confirmPassword")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save new password"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => TOKEN_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Choose a new password", description: "Choose a new Procurement Commons password." });
