import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { ItemList } from "~/components/item-card";
import { Pagination } from "~/components/pagination";
import { listLibrary } from "~/models/item.server";
import { pageMeta } from "~/utils/meta";
import { tagPath } from "~/utils/paths";
import { readPage } from "~/utils/query";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const tag = (params.tag ?? "").slice(0, 80);
  const page = readPage(new URL(request.url).searchParams);
  const library = await listLibrary({ filters: { tag }, page });
  if (library.total === 0) throw new Response("No published item uses that tag.", { status: 404 });
  return { tag, ...library };
}

export default function TagRoute() {
  const { tag, items, total, page, pageCount } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p className="eyebrow">
        <Link to="/tags">Tags</Link>
      </p>
      <h1>Tagged “{tag}”</h1>
      <p>
        {total} published {total === 1 ? "item" : "items"}.{" "}
        <Link to={`/library?tag=${encodeURIComponent(tag)}`}>Combine with other filters in the library</Link>
      </p>
      {items.length > 0 ? <ItemList items={items} /> : <p className="empty-state">There is no page {page}.</p>}
      <Pagination page={page} pageCount={pageCount} searchParams={searchParams} basePath={tagPath(tag)} />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, ...context }) =>
  data
    ? pageMeta({
        context,
        title: `Tagged ${data.tag}`,
        description: `Items tagged ${data.tag} in the Procurement Commons library.`,
        feeds: [{ title: `Tagged ${data.tag}`, scope: { kind: "tag", tag: data.tag } }],
      })
    : pageMeta({ title: "Tag not found", description: "No published item uses that tag." });
