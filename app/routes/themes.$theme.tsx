import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { ItemList } from "~/components/item-card";
import { Pagination } from "~/components/pagination";
import { listLibrary } from "~/models/item.server";
import { isOneOf, THEME_DESCRIPTIONS, THEMES } from "~/models/vocabulary";
import { pageMeta } from "~/utils/meta";
import { themePath } from "~/utils/paths";
import { readPage } from "~/utils/query";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const theme = params.theme;
  if (!isOneOf(THEMES, theme)) throw new Response("There is no theme with that name.", { status: 404 });
  const page = readPage(new URL(request.url).searchParams);
  const library = await listLibrary({ filters: { theme }, page });
  return { theme, ...library };
}

export default function ThemeRoute() {
  const { theme, items, total, page, pageCount } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p className="eyebrow">
        <Link to="/themes">Themes</Link>
      </p>
      <h1>{THEMES[theme]}</h1>
      <p className="lede">{THEME_DESCRIPTIONS[theme]}</p>
      <p>
        {total} published {total === 1 ? "item" : "items"}.{" "}
        <Link to={`/library?theme=${theme}`}>Filter these in the library</Link>
      </p>
      {items.length > 0 ? (
        <ItemList items={items} />
      ) : (
        <p className="empty-state">
          {page > 1 ? `There is no page ${page}.` : "Nothing published under this theme yet."}
        </p>
      )}
      <Pagination page={page} pageCount={pageCount} searchParams={searchParams} basePath={themePath(theme)} />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, ...context }) =>
  data
    ? pageMeta({
        context,
        title: `${THEMES[data.theme]} theme`,
        description: THEME_DESCRIPTIONS[data.theme],
        feeds: [{ title: `${THEMES[data.theme]} theme`, scope: { kind: "theme", theme: data.theme } }],
      })
    : pageMeta({ title: "Theme not found", description: "There is no theme with that name." });
