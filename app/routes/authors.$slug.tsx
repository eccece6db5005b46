import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";

import { ItemList } from "~/components/item-card";
import { Pagination } from "~/components/pagination";
import { getAuthorBySlug, listLibrary } from "~/models/item.server";
import { findMemberUsernameForAuthor } from "~/models/user.server";
import { pageMeta } from "~/utils/meta";
import { authorPath, memberPath } from "~/utils/paths";
import { readPage } from "~/utils/query";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const author = await getAuthorBySlug({ slug: params.slug ?? "" });
  if (!author) throw new Response("There is no author with that name.", { status: 404 });
  const url = new URL(request.url);
  // A member's items are listed on their profile, the one address for a person; only authors
  // with no account (the seed library's, former members') are listed here.
  const username = author.user_id ? await findMemberUsernameForAuthor({ authorUserId: author.user_id }) : null;
  if (username) throw redirect(`${memberPath(username)}${url.search}`, 301);
  const page = readPage(url.searchParams);
  const library = await listLibrary({ filters: { authorSlug: author.slug }, page });
  return { author, ...library };
}

export default function AuthorRoute() {
  const { author, items, total, page, pageCount } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p className="eyebrow">Author</p>
      <h1>{author.name}</h1>
      {author.role || author.organisation ? (
        <p className="lede">{[author.role, author.organisation].filter(Boolean).join(", ")}</p>
      ) : null}
      <h2>
        {total} published {total === 1 ? "item" : "items"}
      </h2>
      {items.length > 0 ? (
        <ItemList items={items} headingLevel={3} />
      ) : (
        <p className="empty-state">{page > 1 ? `There is no page ${page}.` : "Nothing published yet."}</p>
      )}
      <Pagination page={page} pageCount={pageCount} searchParams={searchParams} basePath={authorPath(author.slug)} />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, ...context }) =>
  data
    ? pageMeta({
        context,
        title: data.author.name,
        description: `Case studies, tips and data stories by ${data.author.name}${data.author.organisation ? ` of ${data.author.organisation}` : ""}.`,
      })
    : pageMeta({ title: "Author not found", description: "There is no author with that name." });
