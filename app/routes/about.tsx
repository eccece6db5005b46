import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

import { THEME_DESCRIPTIONS, THEME_SLUGS, THEMES } from "~/models/vocabulary";
import { pageMeta } from "~/utils/meta";
import { themePath } from "~/utils/paths";

export default function About() {
  return (
    <div className="prose-page">
      <h1>About Procurement Commons</h1>
      <p className="lede">
        A fast, trustworthy place for UK public-sector procurement and commissioning practitioners to learn from each
        other.
      </p>
      <h2>Why it exists</h2>
      <p>
        The Procurement Act 2023 went live on 24 February 2025. It asks buyers to shape the systems they buy into, to
        think about the long-term effects of their choices on markets, communities and net zero, and to treat providers
        as collaborators. It also makes a great deal of procurement data open. What the profession lacked was somewhere
        quick to find out how other people are doing it.
      </p>
      <h2>What you will find</h2>
      <ul>
        <li>
          <strong>Case studies</strong>: what an organisation did, what changed (with baselines, results and evidence)
          and the honest lessons. Their structured fields (organisation type, region, regime, procedure, value band,
          notices used) make them comparable.
        </li>
        <li>
          <strong>Tips</strong>: short, practical how-tos, checklists and gotchas, with what they apply to and where the
          advice comes from. Tips are not legal advice.
        </li>
        <li>
          <strong>Data stories</strong>: a question answered with open procurement data, with the datasets, method and
          caveats set out.
        </li>
      </ul>
      <h2>The three themes</h2>
      <dl className="summary-list">
        {THEME_SLUGS.map((theme) => (
          <div className="summary-list__row" key={theme}>
            <dt>
              <Link to={themePath(theme)}>{THEMES[theme]}</Link>
            </dt>
            <dd>{THEME_DESCRIPTIONS[theme]}</dd>
          </div>
        ))}
      </dl>
      <h2>Whose words these are</h2>
      <p>
        Items are written by practitioners and say who wrote them and where they work. Organisations in case studies may
        be anonymised or fictional; public data is real and attributed. Each item shows its licence: most are shared
        under Creative Commons Attribution 4.0, so you may reuse them with credit.
      </p>
      <h2>Accessibility</h2>
      <p>
        We aim to meet WCAG 2.2 at level AA. Read our <Link to="/accessibility">accessibility statement</Link>.
      </p>
    </div>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({
    context,
    title: "About",
    description: "What Procurement Commons is, who writes it, and the three themes that organise it.",
  });
