import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { addYears, format } from "date-fns";

import { requireUser } from "~/auth/session.server";
import { actorFrom } from "~/models/actor.server";
import { IsoDateSchema } from "~/models/item-schema";
import { getEditableItem, listMyWork, markItemReviewed, type WorkItem } from "~/models/publishing.server";
import { ITEM_STATUSES, ITEM_TYPES } from "~/models/vocabulary";
import { formatDate, isPastDate } from "~/utils/dates";
import { textField } from "~/utils/forms";
import { readFormData, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemEditPath, itemHistoryPath, itemPath } from "~/utils/paths";

const DUE_SOON_DAYS = 30;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const items = await listMyWork({ userId: user.id });
  const soon = new Date(Date.now() + DUE_SOON_DAYS * 86_400_000).toISOString().slice(0, 10);
  return {
    drafts: items.filter((item) => item.status === "draft"),
    published: items.filter((item) => item.status === "published"),
    archived: items.filter((item) => item.status === "archived"),
    due: items.filter((item) => item.status === "published" && item.reviewBy !== null && item.reviewBy <= soon),
    reviewed: new URL(request.url).searchParams.get("reviewed"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = actorFrom(await requireUser(request, context));
  const form = await readFormData(request);
  const item = await getEditableItem({ slug: textField(form, "slug") });
  if (!item) throw new Response("Not found", { status: 404 });
  const requested = IsoDateSchema.safeParse(form.get("review_by"));
  const reviewBy =
    requested.success && !isPastDate(requested.data) ? requested.data : format(addYears(new Date(), 1), "yyyy-MM-dd");
  try {
    await markItemReviewed({ itemId: item.id, reviewBy, user });
  } catch (error) {
    throw responseForDomainError(error);
  }
  return redirect(`/me?reviewed=${encodeURIComponent(item.slug)}`);
}

function WorkList({ items, empty, review = false }: { items: WorkItem[]; empty: string; review?: boolean }) {
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <ul className="work-list">
      {items.map((item) => (
        <li key={item.slug}>
          <p>
            <Link to={item.status === "published" ? itemPath(item.slug) : itemEditPath(item.slug)}>{item.title}</Link>{" "}
            <span className="work-list__meta">
              {ITEM_TYPES[item.type]} · {ITEM_STATUSES[item.status]} · updated {formatDate(item.updatedAt)}
              {item.reviewBy ? ` · review by ${formatDate(item.reviewBy)}` : ""}
            </span>
          </p>
          <p className="work-list__actions">
            <Link to={itemEditPath(item.slug)}>
              Edit<span className="visually-hidden"> {item.title}</span>
            </Link>
            {" · "}
            <Link to={itemHistoryPath(item.slug)}>
              History<span className="visually-hidden"> of {item.title}</span>
            </Link>
          </p>
          {review ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="slug" value={item.slug} />
              <button type="submit" className="button button--secondary button--small">
                Mark as reviewed<span className="visually-hidden">: {item.title}</span> (next review in a year)
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export default function MyWorkRoute() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My work</h1>
      <p>
        <Link to="/write" className="button">
          Write something new
        </Link>
      </p>
      {data.reviewed ? (
        <div className="notice" role="status">
          <p>Marked as reviewed. Thank you for keeping it right.</p>
        </div>
      ) : null}
      <section aria-labelledby="due-heading">
        <h2 id="due-heading">Due for review</h2>
        <p className="field__hint">
          Published items whose review date has passed or falls in the next {DUE_SOON_DAYS} days.
        </p>
        <WorkList items={data.due} empty="Nothing is due for review." review />
      </section>
      <section aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">Drafts</h2>
        <WorkList items={data.drafts} empty="You have no drafts." />
      </section>
      <section aria-labelledby="published-heading">
        <h2 id="published-heading">Published</h2>
        <WorkList items={data.published} empty="You have not published anything yet." />
      </section>
      {data.archived.length > 0 ? (
        <section aria-labelledby="archived-heading">
          <h2 id="archived-heading">Archived</h2>
          <WorkList items={data.archived} empty="" />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "My work", description: "Your drafts, published items and reviews." });
