import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";

import { redirectWithCookies } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field } from "~/components/form-fields";
import { EmailSchema } from "~/models/account-schema.server";
import { requestPasswordReset } from "~/models/password-reset.server";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const ForgotPasswordSchema = z.object({ email: EmailSchema });

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, ForgotPasswordSchema);
  if (submission.status !== "success") return rejectedForm(submission);
  try {
    await requestPasswordReset({ email: submission.value.email, clientIp: context.clientIp ?? "unknown" });
  } catch (error) {
    return replyToDomainError(submission, error);
  }
  // The same answer whether or not the address has an account.
  return redirectWithCookies("/forgot-password?sent=1", context);
}

export default function ForgotPasswordRoute() {
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  if (searchParams.get("sent") && !actionData) {
    return (
      <div className="form-page">
        <h1>Check your email</h1>
        <p className="lede">
          If there is a Procurement Commons account for the address you entered, we have sent it a link to reset the
          password.
        </p>
        <p>
          The link works once, for 60 minutes. It can take a few minutes to arrive: check your spam or junk folder too.
        </p>
        <p>
          Nothing arrived? <Link to="/forgot-password">Ask for another link</Link>, or check you used the address your
          account has. If you no longer have that mailbox, <Link to="/contact">contact us</Link>.
        </p>
        <p>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>Reset your password</h1>
      <p className="lede">
        Enter the email address of your account and we will send you a link to choose a new password.
      </p>
      <ErrorSummary
        problems={replyProblems(reply, (field) => (field === "email" ? "#email" : undefined))}
        submission={actionData}
      />
      <Form method="post" noValidate className="stack-form">
        <Field
          name="email"
          type="email"
          label="Email address"
          autoComplete="email"
          required
          defaultValue={reply.valueOf("email")}
          error={reply.errorOf("email")}
        />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send me a link"}
        </button>
      </Form>
      <p>
        Remembered it? <Link to="/sign-in">Sign in</Link>.
      </p>
    </div>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Reset your password", description: "Get a link to choose a new Procurement Commons password." });
