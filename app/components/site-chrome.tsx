import { Form, Link, NavLink } from "@remix-run/react";

const NAVIGATION = [
  { to: "/library", label: "Library" },
  { to: "/themes", label: "Themes" },
  { to: "/tags", label: "Tags" },
  { to: "/about", label: "About" },
];

export function SiteHeader() {
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
