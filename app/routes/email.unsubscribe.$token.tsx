import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { readUnsubscribeToken, type UnsubscribeScope } from "~/mail/unsubscribe.server";
import { unsubscribe } from "~/models/email-preference.server";
import { NOTIFICATION_CATEGORIES } from "~/models/email-vocabulary";
import { pageMeta } from "~/utils/meta";

// RFC 8058 one-click unsubscribe: a mail client POSTs "List-Unsubscribe=One-Click" here with no
// cookie and no Origin (scripts/lib/http-server.ts lets this path through its origin check: the
// signed link is the authority). A person opening the link gets a page with the same button.
const HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" };

function describe(scope: UnsubscribeScope) {
  if (scope === "digest-daily") return "your daily digest";
  if (scope === "digest-weekly") return "your weekly digest";
  return `emails about ${NOTIFICATION_CATEGORIES[scope].label.toLowerCase()}`;
}

type PageData = { state: "invalid" | "confirm" | "done"; what: string };

const INVALID = { state: "invalid", what: "" } as const;

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await readUnsubscribeToken(params.token ?? "");
  if (!link) return data<PageData>(INVALID, { status: 400, headers: HEADERS });
  return data<PageData>({ state: "confirm", what: describe(link.scope) }, { headers: HEADERS });
}

export async function action({ params }: ActionFunctionArgs) {
  const link = await readUnsubscribeToken(params.token ?? "");
  if (!link) return data<PageData>(INVALID, { status: 400, headers: HEADERS });
  await unsubscribe(link);
  return data<PageData>({ state: "done", what: describe(link.scope) }, { headers: HEADERS });
}

export default function UnsubscribeRoute() {
  const loaded = useLoaderData<typeof loader>();
  const { state, what } = useActionData<typeof action>() ?? loaded;
  if (state === "invalid")
    return (
      <div className="form-page">
        <h1>This unsubscribe link does not work</h1>
        <p className="lede">
          It is incomplete or has been changed, so nothing has been changed. Copy the whole link from the email, or sign
          in and choose what we send you in your email settings.
        </p>
        <p>
          <Link to="/account/notifications" className="button">
            Go to your email settings
          </Link>
        </p>
      </div>
    );
  if (state === "done")
    return (
      <div className="form-page">
        <h1>You have unsubscribed</h1>
        <p className="lede" role="status">
          We will not send you {what} any more.
        </p>
        <p>
          Changed your mind? <Link to="/account/notifications">Choose what we send you</Link> in your email settings.
        </p>
      </div>
    );
  return (
    <div className="form-page">
      <h1>Unsubscribe</h1>
      <p className="lede">Stop getting {what}?</p>
      <Form method="post">
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit" className="button">
          Unsubscribe
        </button>
      </Form>
      <p>
        Or <Link to="/account/notifications">choose what we send you</Link> in your email settings.
      </p>
    </div>
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => actionHeaders ?? loaderHeaders;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Unsubscribe", description: "Stop getting an email from Procurement Commons." });
