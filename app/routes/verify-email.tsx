import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { z } from "zod";

import { redirectWithCookies } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { type TokenProblem, TokenRejectedError } from "~/models/account-token.server";
import { checkAddressConfirmation, confirmAddress } from "~/models/email-verification.server";
import type { loader as rootLoader } from "~/root";
import { readReply } from "~/utils/forms";
import { parseForm, replyToDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

// Confirming is a button, not the link itself, as Discourse does: mail scanners that open every
// link in a message must not confirm an address nobody has looked at.
const TOKEN_PAGE_HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" };

// A token that is not one of ours (too long, or missing) is simply unrecognised.
const ConfirmSchema = z.object({ token: z.string().max(200).catch("") });

const PROBLEMS: Record<TokenProblem, { title: string; body: string }> = {
  unrecognised: {
    title: "This link is not recognised",
    body: "It may have been cut short or changed: copy the whole link from the email, or ask for a new one.",
  },
  expired: {
    title: "This link has expired",
    body: "Links to confirm an address work for 24 hours. Ask for a new one.",
  },
  used: {
    title: "This link has already been used",
    body: "Your address was confirmed with it. If you are still asked to confirm, ask for a new link.",
  },
  revoked: {
    title: "This link no longer works",
    body: "A newer link has been sent since. Use the newest email, or ask for a new link.",
  },
};

type LoaderData = { state: "confirm" | "confirmed" | "changed"; token: string; problem: TokenProblem | null };

function isTokenProblem(value: string | null): value is TokenProblem {
  return value !== null && Object.hasOwn(PROBLEMS, value);
}

function problemPage(problem: TokenProblem) {
  return data<LoaderData>(
    { state: "confirm", token: "", problem },
    { status: problem === "unrecognised" ? 400 : 410, headers: TOKEN_PAGE_HEADERS },
  );
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const done = url.searchParams.get("confirmed");
  if (done)
    return data<LoaderData>(
      { state: done === "changed" ? "changed" : "confirmed", token: "", problem: null },
      { headers: TOKEN_PAGE_HEADERS },
    );
  const rejected = url.searchParams.get("rejected");
  if (isTokenProblem(rejected)) return problemPage(rejected);
  const token = url.searchParams.get("token") ?? "";
  const checked = await checkAddressConfirmation({ token });
  if (!checked.ok) return problemPage(checked.problem);
  return data<LoaderData>({ state: "confirm", token, problem: null }, { headers: TOKEN_PAGE_HEADERS });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, ConfirmSchema);
  const token = submission.status === "success" ? submission.value.token : "";
  try {
    const result = await confirmAddress({ token });
    return redirectWithCookies(`/verify-email?confirmed=${result.isChange ? "changed" : "1"}`, context);
  } catch (error) {
    // A link that cannot be used gets the page that says why and offers a new one, as on opening it.
    if (error instanceof TokenRejectedError)
      return redirect(`/verify-email?rejected=${error.problem}`, { status: 303, headers: TOKEN_PAGE_HEADERS });
    return replyToDomainError(submission, error, { status: 409, hideFields: ["token"], headers: TOKEN_PAGE_HEADERS });
  }
}

export default function VerifyEmailRoute() {
  const { state, token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  const isSignedIn = Boolean(useRouteLoaderData<typeof rootLoader>("root")?.user);
  const isSubmitting = useNavigation().state === "submitting";
  const askAgain = isSignedIn ? "/account/email" : "/sign-in?redirectTo=%2Faccount%2Femail";
  if (problem) {
    const { title, body } = PROBLEMS[problem];
    return (
      <div className="form-page">
        <h1>{title}</h1>
        <p className="lede">{body}</p>
        <p>
          <Link to={askAgain} className="button">
            Get a new link
          </Link>
        </p>
      </div>
    );
  }
  if (state !== "confirm") {
    return (
      <div className="form-page">
        <h1>{state === "changed" ? "Your email address has changed" : "Your email address is confirmed"}</h1>
        <p className="lede">
          {state === "changed"
            ? "Your account now uses the new address, and we have told the old one."
            : "Thank you. You can now post replies, start threads and publish."}
        </p>
        <p>
          <Link to={isSignedIn ? "/communities" : "/sign-in"} className="button">
            {isSignedIn ? "Go to the communities" : "Sign in"}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>Confirm your email address</h1>
      <ErrorSummary problems={replyProblems(reply)} submission={actionData} />
      <p className="lede">Press the button to confirm that this address is yours.</p>
      <Form method="post" className="stack-form">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Confirming…" : "Confirm my email address"}
        </button>
      </Form>
    </div>
  );
}

export const headers: HeadersFunction = () => TOKEN_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({
    title: "Confirm your email address",
    description: "Confirm the address of your Procurement Commons account.",
  });
