import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, LiveReload, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { type ReactNode, useEffect } from "react";

import { getUser } from "~/auth/session.server";
import { ErrorPage, errorMessageFor } from "~/components/error-page";
import { ConfirmEmailBanner, SiteFooter, SiteHeader } from "~/components/site-chrome";
import { getEnv } from "~/env.server";
import { countUnreadNotifications } from "~/models/notification.server";
import stylesHref from "~/styles/app.css";
import discussionStylesHref from "~/styles/discussions.css";
import formStylesHref from "~/styles/forms.css";
import { pageMeta } from "~/utils/meta";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "stylesheet", href: formStylesHref },
  { rel: "stylesheet", href: discussionStylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    siteUrl: getEnv().SITE_URL,
    user: user
      ? {
          id: user.id,
          displayName: user.displayName,
          username: user.username,
          role: user.role,
          // Shown in the banner asking an unconfirmed member to confirm it.
          unconfirmedEmail: user.isEmailVerified ? null : user.email,
        }
      : null,
    unreadNotifications: user ? await countUnreadNotifications({ viewer: user }) : null,
  };
}

export const meta: MetaFunction = ({ error, ...context }) => {
  if (!error) {
    return pageMeta({
      context,
      description: "Case studies, tips and data stories from UK public procurement practitioners.",
    });
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return pageMeta({ title: errorMessageFor(status).title, description: "An error page." });
};

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  useEffect(() => {
    // Lets browser tests (and curious developers) know the page is interactive.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main-content">
          Skip to main content
        </a>
        <SiteHeader />
        <ConfirmEmailBanner />
        <main id="main-content" tabIndex={-1} className="page">
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
