import { Link, NavLink, useRouteLoaderData } from "@remix-run/react";

const NAVIGATION = [
  { to: "/library", label: "Library" },
  { to: "/themes", label: "Themes" },
  { to: "/tags", label: "Tags" },
  { to: "/communities", label: "Communities" },
  { to: "/about", label: "About" },
];

export function SiteHeader() {
  const root = useRouteLoaderData("root") as { unreadNotifications?: number | null } | undefined;
  const unread = root?.unreadNotifications ?? null;
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
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>
          Procurement Commons: practitioners sharing case studies, tips and data stories on UK public
          procurement. Content is shared under the licence shown on each page.
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
        </ul>
      </div>
    </footer>
  );
}
