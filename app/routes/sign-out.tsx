import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";

import { CLEAR_SITE_DATA, getUser, redirectWithCookies, signOut } from "~/auth/session.server";
import { pageMeta } from "~/utils/meta";

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await getUser(request, context))) throw redirectWithCookies("/", context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await signOut(request, context);
  return redirectWithCookies("/", context, CLEAR_SITE_DATA);
}

/** Reached by a plain link or a bookmark: signing out changes state, so it takes a button. */
export default function SignOutRoute() {
  return (
    <div className="form-page">
      <h1>Sign out</h1>
      <p>You will need your email address and password to sign in again.</p>
      <Form method="post">
        <button type="submit" className="button">
          Sign out
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Sign out", description: "Sign out of Procurement Commons." });
