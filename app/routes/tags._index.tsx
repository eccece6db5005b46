import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { listTags } from "~/models/item.server";
import { pageMeta } from "~/utils/meta";
import { tagPath } from "~/utils/paths";

export async function loader() {
  return { tags: await listTags() };
}

export default function Tags() {
  const { tags } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Tags</h1>
      <p className="lede">Free tags that writers add to their items, most used first.</p>
      {tags.length > 0 ? (
        <ul className="tag-index">
          {tags.map(({ tag, count }) => (
            <li key={tag}>
              <Link to={tagPath(tag)}>{tag}</Link> <span className="facet__count">{count}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty-state">No tags yet.</p>
      )}
    </>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({ context, title: "Tags", description: "Every tag used in the Procurement Commons library." });
