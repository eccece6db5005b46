import { Link } from "@remix-run/react";

import { THEMES, type Theme } from "~/models/vocabulary";
import { tagPath, themePath } from "~/utils/paths";

export function ThemeList({ themes }: { themes: Theme[] }) {
  if (themes.length === 0) return null;
  return (
    <ul className="theme-list" aria-label="Themes">
      {themes.map((theme) => (
        <li key={theme}>
          <Link className={`theme-badge theme-badge--${theme}`} to={themePath(theme)}>
            {THEMES[theme]}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Link className="tag" to={tagPath(tag)}>
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}
