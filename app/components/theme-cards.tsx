import { Link } from "@remix-run/react";

import { THEME_DESCRIPTIONS, THEME_SLUGS, THEMES } from "~/models/vocabulary";
import { countOf } from "~/utils/counts";
import { themePath } from "~/utils/paths";

/** The three themes as cards, optionally with how many items carry each. */
export function ThemeCards({ headingLevel, counts }: { headingLevel: 2 | 3; counts?: Record<string, number> }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <ul className="theme-cards">
      {THEME_SLUGS.map((theme) => (
        <li key={theme} className={`theme-card theme-card--${theme}`}>
          <Heading>
            <Link to={themePath(theme)}>{THEMES[theme]}</Link>
          </Heading>
          <p>{THEME_DESCRIPTIONS[theme]}</p>
          {counts ? <p className="theme-card__count">{countOf(counts[theme] ?? 0, "item")}</p> : null}
        </li>
      ))}
    </ul>
  );
}
