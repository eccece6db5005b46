import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { z } from "zod";

import { redirectWithCookies } from "~/auth/session.server";
import { type TokenProblem, TokenRejectedError } from "~/models/account-token.server";
import { InvalidInputError } from "~/models/domain-errors.server";
import { checkAddressConfirmation, confirmAddress } from "~/models/email-verification.server";
import type { loader as rootLoader } from "~/root";
import { parseFormFields } from "~/utils/forms";
import { readFormData } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

// Confirming is a button, not the link itself, as Discourse does: mail scanners that open every
// link in a message must not confirm an address nobody has looked at.
const TOKEN_PAGE_HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" };

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
type ActionData = { problem: TokenProblem | null; message: string | null };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const done = url.searchParams.get("confirmed");
  if (done)
    return data<LoaderData>(
      { state: done === "changed" ? "changed" : "confirmed", token: "", problem: null },
      { headers: TOKEN_PAGE_HEADERS },
    );
  const token = url.searchParams.get("token") ?? "";
  const checked = await checkAddressConfirmation({ token });
  if (!checked.ok)
    return data<LoaderData>(
      { state: "confirm", token: "", problem: checked.problem },
      { status: checked.problem === "unrecognised" ? 400 : 410, headers: TOKEN_PAGE_HEADERS },
    );
  return data<LoaderData>({ state: "confirm", token, problem: null }, { headers: TOKEN_PAGE_HEADERS });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseFormFields(z.object({ token: z.string().max(200).default("") }), await readFormData(request));
  const token = form.success ? form.data.token : "";
  try {
    const result = await confirmAddress({ token });
    return redirectWithCookies(`/verify-email?confirmed=${result.isChange ? "changed" : "1"}`, context);
  } catch (error) {
    if (error instanceof TokenRejectedError)
      return data<ActionData>({ problem: error.problem, message: null }, { status: 410, headers: TOKEN_PAGE_HEADERS });
    if (error instanceof InvalidInputError)
      return data<ActionData>({ problem: null, message: error.message }, { status: 409, headers: TOKEN_PAGE_HEADERS });
    throw error;
  }
}

export default function VerifyEmailRoute() {
  const { state, token, problem } = useLoaderData<LoaderData>();
  const actionData = useActionData<ActionData>();
  const isSignedIn = Boolean(useRouteLoaderData<typeof rootLoader>("root")?.user);
  const isSubmitting = useNavigation().state === "submitting";
  const shownProblem = problem ?? actionData?.problem ?? null;
  const askAgain = isSignedIn ? "/account/email" : "/sign-in?redirectTo=%2Faccount%2Femail";
  if (shownProblem) {
    const { title, body } = PROBLEMS[shownProblem];
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
      {actionData?.message ? (
        <div className="error-summary" role="alert">
          <p>{actionData.message}</p>
        </div>
      ) : null}
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
