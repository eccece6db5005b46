import { Link } from "@remix-run/react";

import type { ItemCard as ItemCardData } from "~/models/item.server";
import { ITEM_TYPES } from "~/models/vocabulary";
import { formatDate, isoDay } from "~/utils/dates";
import { itemPath } from "~/utils/paths";

import { ThemeList } from "./taxonomy";

export function ItemList({ items, headingLevel = 2 }: { items: ItemCardData[]; headingLevel?: 2 | 3 }) {
  return (
    <ul className="item-list">
      {items.map((item) => (
        <li key={item.id}>
          <ItemCard item={item} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

function ItemCard({ item, headingLevel }: { item: ItemCardData; headingLevel: 2 | 3 }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <article className={`item-card item-card--${item.type}`}>
      <p className="item-card__type">{ITEM_TYPES[item.type]}</p>
      <Heading className="item-card__title">
        <Link to={itemPath(item.slug)} prefetch="intent">
          {item.title}
        </Link>
      </Heading>
      <p className="item-card__summary">{item.summary}</p>
      <ThemeList themes={item.themes} />
      <p className="item-card__meta">
        {item.authors.map((author) => author.name).join(", ")}
        {item.publishedAt ? (
          <>
            {" · "}
            <time dateTime={isoDay(item.publishedAt)}>{formatDate(item.publishedAt)}</time>
          </>
        ) : null}
        {" · "}
        {Math.max(1, Math.round(item.wordCount / 220))} min read
      </p>
    </article>
  );
}
