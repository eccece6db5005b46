import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { getUser, requireUser } from "~/auth/session.server";
import { DiffTable } from "~/components/diff-table";
import { SelectField } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import { DiscussionError } from "~/models/discussion-access.server";
import { canEditItem } from "~/models/item-permissions.server";
import { getEditableItem, getRevisionText, listRevisions, restoreRevision } from "~/models/publishing.server";
import { diffTexts } from "~/models/revision-diff.server";
import { RenderRefused } from "~/rendering/render-refused";
import { notFoundOrMoved } from "~/routes/+shared/item-address.server";
import { formatDate } from "~/utils/dates";
import { textField } from "~/utils/forms";
import { readFormData, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemEditPath, itemHistoryPath, itemPath } from "~/utils/paths";

function versionParam(value: string | null) {
  return value && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const item = await getEditableItem({ slug: params.slug ?? "" });
  const user = await getUser(request, context);
  if (!item) throw await notFoundOrMoved({ slug: params.slug, page: "history", viewer: user });
  const canEdit = await canEditItem({ user, itemId: item.id });
  if (item.status !== "published" && !canEdit) throw new Response("Not found", { status: 404 });
  const revisions = await listRevisions({ itemId: item.id });
  const search = new URL(request.url).searchParams;
  const to = versionParam(search.get("to")) ?? item.version;
  const from = versionParam(search.get("from")) ?? Math.max(1, to - 1);
  const [before, after] = await Promise.all([
    getRevisionText({ itemId: item.id, version: from }),
    getRevisionText({ itemId: item.id, version: to }),
  ]);
  const diff = before !== undefined && after !== undefined && from !== to ? diffTexts(before, after) : null;
  return {
    slug: item.slug,
    title: item.meta.title,
    status: item.status,
    version: item.version,
    revisions,
    from,
    to,
    diff,
    canEdit,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = actorFrom(await requireUser(request, context));
  const item = await getEditableItem({ slug: params.slug ?? "" });
  if (!item) throw new Response("Not found", { status: 404 });
  const form = await readFormData(request);
  const version = versionParam(textField(form, "version"));
  if (form.get("intent") !== "restore" || version === undefined)
    throw new Response("Choose a version to restore.", { status: 400 });
  const restored = await restoreRevision({ itemId: item.id, version, user }).catch((error: unknown) => {
    if (error instanceof RenderRefused) throw new Response(error.message, { status: 422 });
    // The posting limit for new accounts counts a restore as a save.
    if (error instanceof DiscussionError) throw new Response(error.message, { status: 429 });
    throw responseForDomainError(error);
  });
  if (!restored) throw new Response("There is no such version to restore.", { status: 404 });
  return redirect(`${itemHistoryPath(restored.slug)}?restored=${version}`);
}

export default function HistoryRoute() {
  const data = useLoaderData<typeof loader>();
  const versions = data.revisions.map((revision) => [String(revision.version), String(revision.version)] as const);
  return (
    <>
      <h1>History: {data.title}</h1>
      <p>
        <Link to={data.status === "published" ? itemPath(data.slug) : itemEditPath(data.slug)}>Back to the item</Link>
      </p>
      <form method="get" className="history__compare">
        <h2>Compare two versions</h2>
        <SelectField
          name="from"
          id="compare-from"
          label="From version"
          options={versions}
          defaultValue={String(data.from)}
          emptyLabel={null}
        />
        <SelectField
          name="to"
          id="compare-to"
          label="To version"
          options={versions}
          defaultValue={String(data.to)}
          emptyLabel={null}
        />
        <button type="submit" className="button button--secondary">
          Compare
        </button>
      </form>

      {data.diff ? (
        <section aria-labelledby="diff-heading">
          <h2 id="diff-heading">
            Changes from version {data.from} to version {data.to}
          </h2>
          <DiffTable
            lines={data.diff}
            id="diff-heading"
            caption={`Each line of version ${data.to} compared with version ${data.from}: added, removed or unchanged`}
          />
        </section>
      ) : null}

      <section aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">Every version</h2>
        <ol reversed className="revisions">
          {data.revisions.map((revision) => (
            <li key={revision.version}>
              <p>
                <strong>Version {revision.version}</strong>
                {revision.version === data.version ? " (current)" : ""} ·{" "}
                <time dateTime={revision.createdAt}>{formatDate(revision.createdAt)}</time> ·{" "}
                {revision.userName ?? "Imported from a content file"}
                {revision.note ? ` · ${revision.note}` : ""}
              </p>
              {revision.version > 1 ? (
                <Link to={`?from=${revision.version - 1}&to=${revision.version}`}>
                  See what changed in version {revision.version}
                </Link>
              ) : null}
              {data.canEdit && revision.version !== data.version ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="version" value={revision.version} />
                  <button
                    type="submit"
                    name="intent"
                    value="restore"
                    className="button button--secondary button--small"
                  >
                    Restore version {revision.version}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `History: ${data.title}` : "History", description: "Every version of this item." });
