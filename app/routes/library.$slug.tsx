import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { DatasetDownloads } from "~/components/datasets";
import { useDocumentHtml } from "~/components/document-html";
import { ItemDiscussion } from "~/components/item-discussion";
import { CaseStudyLessons, ItemFieldsPanel } from "~/components/item-fields";
import { ItemTools } from "~/components/item-tools";
import { TagList, ThemeList } from "~/components/taxonomy";
import { listItemDatasets } from "~/models/dataset.server";
import { loadItemDiscussion } from "~/models/item-discussion.server";
import { canEditItem } from "~/models/item-permissions.server";
import { getPublishedItem } from "~/models/item.server";
import { findItemThreadId } from "~/models/thread.server";
import { ITEM_TYPES, LICENCE_URLS, LICENCES, labelFor } from "~/models/vocabulary";
import { handleThreadAction, quoteIdFrom } from "~/routes/+shared/thread-actions.server";
import { formatDate, isoDay, isPastDate } from "~/utils/dates";
import { htmlForDocumentOnce } from "~/utils/document-html.server";
import { pageMeta, siteUrlFrom } from "~/utils/meta";
import { authorPath, itemPath } from "~/utils/paths";
import { itemJsonLd } from "~/utils/structured-data";

const ITEM_BODY_ID = "item-body";

/** Long items get a table of contents. */
const TOC_MIN_HEADINGS = 3;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lookup = await getPublishedItem({ slug: params.slug ?? "" });
  if (lookup.kind === "moved") throw redirect(itemPath(lookup.slug), 301);
  if (lookup.kind === "missing") throw new Response("Not found", { status: 404 });
  const { bodyHtml, ...item } = lookup.item;
  const user = await getUser(request, context);
  const url = new URL(request.url);
  const [canEdit, datasets, discussion] = await Promise.all([
    canEditItem({ user, itemId: item.id }),
    item.type === "data-story" ? listItemDatasets({ itemId: item.id }) : [],
    loadItemDiscussion({ itemId: item.id, viewer: user, quoteId: quoteIdFrom(url), pagePath: url.pathname }),
  ]);
  return {
    item: { ...item, bodyHtml: htmlForDocumentOnce(context, ITEM_BODY_ID, bodyHtml) },
    datasets: datasets.map(({ notes: _notes, updatedAt: _updatedAt, origin: _origin, ...dataset }) => dataset),
    canEdit,
    isDueForReview: item.reviewBy ? isPastDate(item.reviewBy) : false,
    discussion,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lookup = await getPublishedItem({ slug: params.slug ?? "" });
  if (lookup.kind !== "found") throw new Response("Not found", { status: 404 });
  const threadId = await findItemThreadId({ itemId: lookup.item.id });
  return handleThreadAction({ request, context, target: { itemId: lookup.item.id, threadId } });
}

export default function ItemRoute() {
  const { item, datasets, canEdit, isDueForReview, discussion } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const bodyHtml = useDocumentHtml(ITEM_BODY_ID, item.bodyHtml);
  const headings = item.toc.filter((entry) => entry.depth === 2);
  return (
    <article className={`item item--${item.type}`}>
      <header className="item__header">
        <p className="item__type">
          <Link to={`/library?type=${item.type}`}>{ITEM_TYPES[item.type]}</Link>
        </p>
        <h1>{item.title}</h1>
        <p className="lede">{item.summary}</p>
        <p className="item__byline">
          By{" "}
          {item.authors.map((author, index) => (
            <span key={author.slug}>
              {index > 0 ? ", " : ""}
              <Link to={authorPath(author.slug)}>{author.name}</Link>
              {author.organisation ? <span className="item__org">, {author.organisation}</span> : null}
            </span>
          ))}
        </p>
        <p className="item__dates">
          {item.publishedAt ? (
            <>
              Published <time dateTime={isoDay(item.publishedAt)}>{formatDate(item.publishedAt)}</time>
            </>
          ) : null}
          {item.publishedAt && isoDay(item.updatedAt) !== isoDay(item.publishedAt) ? (
            <>
              {" · "}Updated <time dateTime={isoDay(item.updatedAt)}>{formatDate(item.updatedAt)}</time>
            </>
          ) : null}
          {" · "}
          {Math.max(1, Math.round(item.wordCount / 220))} min read
        </p>
        <ThemeList themes={item.themes} />
      </header>

      {isDueForReview && item.reviewBy ? (
        <div className="notice notice--warning" role="note">
          <p>
            <strong>This may be out of date.</strong> Its author planned to review it by{" "}
            <time dateTime={item.reviewBy}>{formatDate(item.reviewBy)}</time>, and that date has passed. Law and
            guidance change: check the current position before relying on it.
          </p>
        </div>
      ) : null}
      {item.type === "tip" ? (
        <div className="notice" role="note">
          <p>
            <strong>Not legal advice.</strong> This tip shares one practitioner's experience. Check the current
            guidance, and take legal advice for your own situation.
          </p>
        </div>
      ) : null}

      <ItemFieldsPanel fields={item.fields} />

      {headings.length >= TOC_MIN_HEADINGS ? (
        <nav className="toc" aria-labelledby="toc-heading">
          <h2 id="toc-heading">Contents</h2>
          <ol>
            {item.toc.map((entry) => (
              <li key={entry.id} className={entry.depth === 3 ? "toc__sub" : undefined}>
                <a href={`#${entry.id}`}>{entry.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}

      <div id={ITEM_BODY_ID} className="prose" dangerouslySetInnerHTML={{ __html: bodyHtml }} />

      <CaseStudyLessons fields={item.fields} />

      {item.type === "data-story" ? (
        <DatasetDownloads slug={item.slug} datasets={datasets} canAttach={canEdit} />
      ) : null}

      <footer className="item__footer">
        <TagList tags={item.tags} />
        <ItemTools slug={item.slug} canEdit={canEdit} />
        <p className="licence">
          Shared under the{" "}
          <a href={LICENCE_URLS[item.licence as keyof typeof LICENCE_URLS] ?? "#"} rel="license noopener noreferrer">
            {labelFor(LICENCES, item.licence)}
          </a>{" "}
          licence.
        </p>
      </footer>

      <ItemDiscussion data={discussion} reply={actionData} />
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, ...context }) => {
  if (!data) return pageMeta({ title: "Page not found", description: "This item could not be found." });
  const { item } = data;
  const siteUrl = siteUrlFrom(context);
  return pageMeta({
    context,
    title: item.title,
    description: item.summary,
    canonicalPath: itemPath(item.slug),
    article: {
      publishedTime: item.publishedAt,
      modifiedTime: item.updatedAt,
      authors: item.authors.map((author) => author.name),
      tags: item.tags,
    },
    jsonLd: siteUrl
      ? itemJsonLd({ ...item, licenceUrl: LICENCE_URLS[item.licence as keyof typeof LICENCE_URLS] ?? null }, siteUrl)
      : undefined,
  });
};
