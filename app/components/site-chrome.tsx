import { Form, Link, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";

import type { loader as rootLoader } from "~/root";
import { memberPath } from "~/utils/paths";

import { RoleBadge } from "./account-nav";

const NAVIGATION = [
  { to: "/library", label: "Library" },
  { to: "/themes", label: "Themes" },
  { to: "/tags", label: "Tags" },
  { to: "/communities", label: "Communities" },
  { to: "/about", label: "About" },
];

export function SiteHeader() {
  const unread = useRouteLoaderData<typeof rootLoader>("root")?.unreadNotifications ?? null;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="site-header__brand">
          <span className="site-header__mark" aria-hidden="true">
            PC
          </span>
          Procurement Commons
        </Link>
        <nav aria-label="Main" className="site-nav">
          <ul>
            {NAVIGATION.map((entry) => (
              <li key={entry.to}>
                <NavLink to={entry.to} prefetch="intent">
                  {entry.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <Form method="get" action="/search" role="search" aria-label="Site search" className="site-search">
          <label htmlFor="site-search-query" className="visually-hidden">
            Search
          </label>
          <input id="site-search-query" name="q" type="search" placeholder="Search" autoComplete="off" />
          <button type="submit">Search</button>
        </Form>
        {unread !== null ? (
          <Link to="/notifications" className="site-header__notifications">
            Notifications
            {unread > 0 ? (
              <span className="count-badge">
                {unread}
                <span className="visually-hidden"> unread</span>
              </span>
            ) : null}
          </Link>
        ) : null}
        <AccountLinks />
      </div>
    </header>
  );
}

function AccountLinks() {
  const user = useRouteLoaderData<typeof rootLoader>("root")?.user;
  const location = useLocation();
  if (!user) {
    // Bring the visitor back to this page afterwards (not to the sign-in pages themselves).
    const here = `${location.pathname}${location.search}`;
    const back =
      here === "/" || /^\/sign-(in|up)\b/.test(location.pathname) ? "" : `?redirectTo=${encodeURIComponent(here)}`;
    return (
      <nav aria-label="Account" className="account-links">
        <ul>
          <li>
            <Link to={`/sign-in${back}`}>Sign in</Link>
          </li>
          <li>
            <Link to={`/sign-up${back}`}>Create an account</Link>
          </li>
        </ul>
      </nav>
    );
  }
  return (
    <nav aria-label="Account" className="account-links">
      <ul>
        <li>
          <Link to={memberPath(user.username)}>{user.displayName}</Link> <RoleBadge role={user.role} />
        </li>
        <li>
          <Link to="/write">Write</Link>
        </li>
        <li>
          <Link to="/me">Your work</Link>
        </li>
        {user.role === "moderator" || user.role === "admin" ? (
          <li>
            <Link to="/moderation">Moderation</Link>
          </li>
        ) : null}
        <li>
          <Link to="/account">Your account</Link>
        </li>
        <li>
          <Form method="post" action="/sign-out">
            <button type="submit" className="link-button">
              Sign out
            </button>
          </Form>
        </li>
      </ul>
    </nav>
  );
}

/** For a member who has not yet followed the link sent to their address: what it means, and a way to get it again. */
export function ConfirmEmailBanner() {
  const email = useRouteLoaderData<typeof rootLoader>("root")?.user?.unconfirmedEmail;
  if (!email) return null;
  return (
    <section className="confirm-email-banner" aria-labelledby="confirm-email-heading">
      <div className="confirm-email-banner__inner">
        <h2 id="confirm-email-heading" className="confirm-email-banner__title">
          Confirm your email address
        </h2>
        <p>
          We sent a link to <strong>{email}</strong>. Until you follow it you can read and save drafts, but not post or
          publish.
        </p>
        <Form method="post" action="/account/email" className="confirm-email-banner__actions">
          <input type="hidden" name="intent" value="resend" />
          <button type="submit" className="button button--secondary">
            Send the link again
          </button>
          <Link to="/account/email">Wrong address? Change it</Link>
        </Form>
      </div>
    </section>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>
          Procurement Commons: practitioners sharing case studies, tips and data stories on UK public procurement.
          Content is shared under the licence shown on each page.
        </p>
        <ul className="site-footer__links">
          <li>
            <Link to="/about">About</Link>
          </li>
          <li>
            <Link to="/accessibility">Accessibility statement</Link>
          </li>
          <li>
            <Link to="/library">Library</Link>
          </li>
          <li>
            <Link to="/api">Open data and feeds</Link>
          </li>
          <li>
            <Link to="/privacy">Privacy</Link>
          </li>
          <li>
            <Link to="/cookies">Cookies</Link>
          </li>
          <li>
            <Link to="/terms">Terms of use</Link>
          </li>
          <li>
            <Link to="/house-rules">House rules</Link>
          </li>
          <li>
            <Link to="/contact">Contact</Link>
          </li>
        </ul>
      </div>
    </footer>
  );
}
