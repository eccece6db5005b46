import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";

import { RoleBadge } from "~/components/account-nav";
import { ItemList } from "~/components/item-card";
import { Pagination } from "~/components/pagination";
import { type ItemCard, listLibrary } from "~/models/item.server";
import { getPublicProfile } from "~/models/user.server";
import { ORGANISATION_TYPES, SIDES } from "~/models/vocabulary";
import { formatDate, isoDay } from "~/utils/dates";
import { pageMeta } from "~/utils/meta";
import { memberPath } from "~/utils/paths";
import { readPage } from "~/utils/query";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const profile = await getPublicProfile({ username: params.username ?? "" });
  if (!profile) throw new Response("There is no member with that name.", { status: 404 });
  const page = readPage(new URL(request.url).searchParams);
  const library = profile.authorSlug
    ? await listLibrary({ filters: { authorSlug: profile.authorSlug }, page })
    : { items: [] as ItemCard[], total: 0, page, pageCount: 1 };
  return {
    member: profile.user,
    posts: profile.posts,
    items: library.items,
    itemCount: library.total,
    page: library.page,
    pageCount: library.pageCount,
  };
}

export default function MemberRoute() {
  const { member, posts, items, itemCount, page, pageCount } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const side = member.side ? SIDES[member.side as keyof typeof SIDES] : null;
  const organisationType = member.organisation_type
    ? ORGANISATION_TYPES[member.organisation_type as keyof typeof ORGANISATION_TYPES]
    : null;
  return (
    <>
      <p className="eyebrow">Member</p>
      <h1>
        {member.display_name} <RoleBadge role={member.role} />
      </h1>
      {member.job_role || member.organisation ? (
        <p className="lede">{[member.job_role, member.organisation].filter(Boolean).join(", ")}</p>
      ) : null}
      <dl className="summary-list">
        {side ? (
          <div className="summary-list__row">
            <dt>Side of the table</dt>
            <dd>{side}</dd>
          </div>
        ) : null}
        {organisationType ? (
          <div className="summary-list__row">
            <dt>Organisation type</dt>
            <dd>{organisationType}</dd>
          </div>
        ) : null}
        <div className="summary-list__row">
          <dt>Member since</dt>
          <dd>
            <time dateTime={isoDay(member.created_at)}>{formatDate(member.created_at)}</time>
          </dd>
        </div>
      </dl>
      {member.bio ? <p className="preserve-lines">{member.bio}</p> : null}
      <h2>
        {itemCount} published {itemCount === 1 ? "item" : "items"}
      </h2>
      {items.length > 0 ? (
        <ItemList items={items} headingLevel={3} />
      ) : (
        <p className="empty-state">{page > 1 ? `There is no page ${page}.` : "Nothing published yet."}</p>
      )}
      <Pagination
        page={page}
        pageCount={pageCount}
        searchParams={searchParams}
        basePath={memberPath(member.username)}
      />
      {posts.length > 0 ? (
        <>
          <h2>Recent posts</h2>
          <ul className="plain-list member-posts">
            {posts.map((post) => (
              <li key={post.id}>
                <p className="member-posts__thread">
                  In <strong>{post.threadTitle}</strong>,{" "}
                  <time dateTime={isoDay(post.created_at)}>{formatDate(post.created_at)}</time>
                </p>
                <p className="preserve-lines">{post.excerpt}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = (context) =>
  context.data
    ? pageMeta({
        context,
        canonicalPath: memberPath(context.data.member.username),
        title: context.data.member.display_name,
        description: `${context.data.member.display_name}${context.data.member.organisation ? ` of ${context.data.member.organisation}` : ""} on Procurement Commons.`,
      })
    : pageMeta({ title: "Member not found", description: "There is no member with that name." });
