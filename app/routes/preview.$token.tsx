import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { CaseStudyLessons, ItemFieldsPanel } from "~/components/item-fields";
import { TagList, ThemeList } from "~/components/taxonomy";
import { getPublishedItem } from "~/models/item.server";
import { getItemByPreviewToken } from "~/models/publishing.server";
import { ITEM_STATUSES, ITEM_TYPES } from "~/models/vocabulary";
import { itemPath } from "~/utils/paths";

/** A draft's private link: whoever has it can read the draft, nobody can find it. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await getItemByPreviewToken({ token: params.token ?? "" });
  if (!found) throw new Response("Not found", { status: 404 });
  if (found.status === "published") throw redirect(itemPath(found.slug));
  const lookup = await getPublishedItem({ slug: found.slug, anyStatus: true });
  if (lookup.kind !== "found") throw new Response("Not found", { status: 404 });
  return { item: lookup.item };
}

export default function PreviewRoute() {
  const { item } = useLoaderData<typeof loader>();
  return (
    <article className={`item item--${item.type}`}>
      <div className="notice notice--warning" role="note">
        <p>
          <strong>{ITEM_STATUSES[item.status]}: not published.</strong> You are reading a private preview. Please do not
          share this link further without the author's agreement.
        </p>
      </div>
      <header className="item__header">
        <p className="item__type">{ITEM_TYPES[item.type]}</p>
        <h1>{item.title}</h1>
        <p className="lede">{item.summary}</p>
        <p className="item__byline">By {item.authors.map((author) => author.name).join(", ")}</p>
        <ThemeList themes={item.themes} />
      </header>
      <ItemFieldsPanel fields={item.fields} />
      <div className="prose" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      <CaseStudyLessons fields={item.fields} />
      <footer className="item__footer">
        <TagList tags={item.tags} />
      </footer>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Preview: ${data.item.title} | Procurement Commons` : "Preview" },
  { name: "robots", content: "noindex, nofollow" },
];
