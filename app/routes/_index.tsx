import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { ItemList } from "~/components/item-card";
import { ThemeCards } from "~/components/theme-cards";
import { listLatestByType } from "~/models/item.server";
import { ITEM_TYPE_PLURALS, ITEM_TYPE_SLUGS } from "~/models/vocabulary";
import { pageMeta } from "~/utils/meta";

export async function loader() {
  return { latest: await listLatestByType({ perType: 3 }) };
}

export default function Home() {
  const { latest } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero">
        <h1>Learn from the people doing the buying</h1>
        <p className="lede">
          Procurement Commons is where UK public-sector procurement and commissioning practitioners share what worked,
          what did not, and the data behind it: case studies, practical tips and data stories for the Procurement Act
          2023 era.
        </p>
        <p>
          <Link className="button" to="/library">
            Browse the library
          </Link>
        </p>
      </section>

      <section aria-labelledby="themes-heading" className="home-themes">
        <h2 id="themes-heading">Three ways of thinking about buying</h2>
        <ThemeCards headingLevel={3} />
      </section>

      {ITEM_TYPE_SLUGS.map((type) => (
        <section key={type} aria-labelledby={`latest-${type}`} className="home-latest">
          <div className="section-heading">
            <h2 id={`latest-${type}`}>Latest {ITEM_TYPE_PLURALS[type].toLowerCase()}</h2>
            <Link to={`/library?type=${type}`}>All {ITEM_TYPE_PLURALS[type].toLowerCase()}</Link>
          </div>
          {latest[type].length > 0 ? <ItemList items={latest[type]} headingLevel={3} /> : <p>Nothing published yet.</p>}
        </section>
      ))}
    </>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({
    context,
    feeds: [
      { title: "Everything new", scope: { kind: "everything" } },
      ...ITEM_TYPE_SLUGS.map((type) => ({ title: ITEM_TYPE_PLURALS[type], scope: { kind: "type" as const, type } })),
    ],
    description:
      "Case studies, tips and data stories from UK public procurement and commissioning practitioners, organised by the upstream, downstream and partnership themes.",
  });
