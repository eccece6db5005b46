import { NavLink } from "@remix-run/react";

import { memberPath } from "~/utils/paths";

const SECTIONS = [
  { to: "/account", label: "Profile", end: true },
  { to: "/account/email", label: "Email address", end: true },
  { to: "/account/password", label: "Password", end: true },
  { to: "/account/notifications", label: "Email notifications", end: true },
  { to: "/account/delete", label: "Delete account", end: true },
];

export function AccountNav({ username }: { username: string }) {
  return (
    <nav aria-label="Your account" className="account-nav">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.to}>
            <NavLink to={section.to} end={section.end}>
              {section.label}
            </NavLink>
          </li>
        ))}
        <li>
          <NavLink to={memberPath(username)}>Your public profile</NavLink>
        </li>
        <li>
          <a href="/account/data" download>
            Download your data
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** "Moderator" or "Admin" beside a name; members get no badge. */
export function RoleBadge({ role }: { role: string }) {
  if (role !== "moderator" && role !== "admin") return null;
  return <span className={`role-badge role-badge--${role}`}>{role === "admin" ? "Admin" : "Moderator"}</span>;
}
