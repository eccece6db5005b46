import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const ERROR_MESSAGES: Record<number, { title: string; body: string }> = {
  400: {
    title: "We could not understand that request",
    body: "Something in the address or the form was not in a form we expected. Check it and try again.",
  },
  403: {
    title: "You do not have permission to do that",
    body: "If you think you should, sign in with the account that has access, or ask a moderator.",
  },
  404: {
    title: "Page not found",
    body: "If you typed the web address, check it is correct. If you followed a link, the page may have moved or been archived.",
  },
  413: {
    title: "That was too much to send at once",
    body: "Nothing was saved. Go back, shorten what you sent and try again.",
  },
  415: {
    title: "We could not read that form",
    body: "Nothing was changed. Go back and send the form again from our page.",
  },
};

const RESTATES_STATUS = /^(not found|we could not find that page|forbidden|bad request|unauthori[sz]ed)\.?$/i;

export function errorMessageFor(status: number) {
  return (
    ERROR_MESSAGES[status] ?? {
      title: "Sorry, something went wrong on our side",
      body: "Nothing you have saved has been lost. Try again in a moment; if it keeps happening, let us know what you were doing.",
    }
  );
}

/** The one error view: thrown Responses show their status; anything else is a friendly 500. */
export function ErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = errorMessageFor(status);
  const explanation = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  // "Not found" under "Page not found" says nothing new; a route's own sentence does.
  const detail = explanation && !RESTATES_STATUS.test(explanation.trim()) ? explanation : null;
  return (
    <div className="error-page">
      <p className="error-page__status">Error {status}</p>
      <h1>{message.title}</h1>
      {detail ? <p className="lede">{detail}</p> : null}
      <p>{message.body}</p>
      <ul>
        <li>
          <Link to="/">Go to the home page</Link>
        </li>
        <li>
          <Link to="/library">Browse the library</Link>
        </li>
      </ul>
    </div>
  );
}
