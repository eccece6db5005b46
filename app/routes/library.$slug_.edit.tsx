import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { ErrorSummary } from "~/components/error-summary";
import { ItemEditor } from "~/components/item-editor/item-editor";
import { SignInToWrite } from "~/components/sign-in-to-write";
import { getEnv } from "~/env.server";
import { formValuesFromMeta } from "~/models/item-form";
import { requireCanEditItem } from "~/models/item-permissions.server";
import { getEditableItem } from "~/models/publishing.server";
import { ITEM_STATUSES, ITEM_TYPES } from "~/models/vocabulary";
import { notFoundOrMoved } from "~/routes/+shared/item-address.server";
import { handleEditorAction } from "~/routes/+shared/item-editor.server";
import { responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemDownloadPath, itemEditPath, itemHistoryPath } from "~/utils/paths";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // No redirect to sign in here: this loader also runs after a save whose session had ended,
  // and that page must keep showing the writer's text (the action's data has it).
  const user = await getUser(request, context);
  if (!user) return { signedOut: true as const, slug: params.slug ?? "" };
  const item = await getEditableItem({ slug: params.slug ?? "" });
  if (!item) throw await notFoundOrMoved({ slug: params.slug, page: "edit", viewer: user });
  try {
    await requireCanEditItem({ user, itemId: item.id });
  } catch (error) {
    throw responseForDomainError(error);
  }
  const done = new URL(request.url).searchParams.get("done");
  const doneNotice = isDoneNotice(done) ? done : null;
  return {
    signedOut: false as const,
    slug: item.slug,
    type: item.type,
    status: item.status,
    version: item.version,
    title: item.meta.title,
    previewUrl:
      item.status === "published" || !item.previewToken ? null : `${getEnv().SITE_URL}/preview/${item.previewToken}`,
    values: formValuesFromMeta(item.meta, item.body),
    done: doneNotice,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const item = await getEditableItem({ slug: params.slug ?? "" });
  if (!item) throw new Response("Not found", { status: 404 });
  return handleEditorAction({ request, context, target: { kind: "existing", item } });
}

const DONE_MESSAGES = {
  draft: "Draft saved. Only you (and anyone you share the preview link with) can see it.",
  archived: "Archived. It no longer appears in the library.",
  "link-reset":
    "Made a new private link. The old one no longer works: share the new one with whoever should read the draft.",
};

const isDoneNotice = (done: string | null): done is keyof typeof DONE_MESSAGES =>
  done !== null && Object.hasOwn(DONE_MESSAGES, done);

export default function EditRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (data.signedOut) {
    if (actionData?.kind !== "signed-out")
      return <SignInToWrite heading="Edit an item" back={itemEditPath(data.slug)} />;
    return (
      <>
        <h1>Edit: {actionData.values.title?.[0] ?? data.slug}</h1>
        <ItemEditor
          type={actionData.type}
          mode="existing"
          status={actionData.status}
          version={Number(actionData.values.version?.[0] ?? 0)}
          values={actionData.values}
          errors={[]}
          preview={null}
          notice={null}
          formKey={actionData.formKey}
          signedOut
          conflict={null}
          storageKey={`edit-${data.slug}`}
          slug={data.slug}
        />
      </>
    );
  }
  const form = actionData && actionData.kind !== "too-large" ? actionData : null;
  return (
    <>
      <h1>Edit: {data.title}</h1>
      <p className="editor__status">
        Status: <strong>{ITEM_STATUSES[data.status]}</strong> · Version {data.version} ·{" "}
        <Link to={itemHistoryPath(data.slug)}>History</Link> ·{" "}
        <a href={itemDownloadPath(data.slug)} download>
          Download as a markdown file
        </a>
      </p>
      {data.done && !actionData ? (
        <div className="notice" role="status">
          <p>{DONE_MESSAGES[data.done]}</p>
        </div>
      ) : null}
      {data.previewUrl ? (
        <div className="editor__share">
          <p>
            Private preview link: anyone with it can read this draft, nobody else can find it.{" "}
            <a href={data.previewUrl}>{data.previewUrl}</a>
          </p>
          <Form method="post" className="inline-form">
            <p>If the link has gone further than you meant, make a new one: the old one stops working.</p>
            <button type="submit" name="intent" value="reset-preview-link" className="button button--secondary">
              Reset the private link
            </button>
          </Form>
        </div>
      ) : null}
      {actionData?.kind === "too-large" ? (
        <ErrorSummary problems={[]} submission={actionData}>
          <p>{actionData.message}</p>
        </ErrorSummary>
      ) : null}
      <ItemEditor
        type={data.type}
        mode="existing"
        status={data.status}
        version={data.version}
        values={form?.values ?? data.values}
        errors={form?.errors ?? []}
        preview={form?.preview ?? null}
        notice={form?.notice ?? null}
        formKey={actionData?.formKey ?? `v${data.version}`}
        signedOut={form?.kind === "signed-out"}
        conflict={form?.kind === "conflict" ? form.current : null}
        storageKey={`edit-${data.slug}`}
        slug={data.slug}
      />
      <section className="editor__status-actions" aria-labelledby="status-heading">
        <h2 id="status-heading">{ITEM_TYPES[data.type]} status</h2>
        {data.status === "published" ? (
          <Form method="post" className="inline-form">
            <p>Unpublishing takes it out of the library and makes it a draft again; nothing is deleted.</p>
            <button type="submit" name="intent" value="unpublish" className="button button--secondary">
              Unpublish
            </button>
          </Form>
        ) : null}
        {data.status === "archived" ? (
          <Form method="post" className="inline-form">
            <button type="submit" name="intent" value="publish-now" className="button button--secondary">
              Publish again
            </button>
          </Form>
        ) : (
          <Form method="post" className="inline-form">
            <p>Archiving takes it out of the library for good; you can publish it again later.</p>
            <button type="submit" name="intent" value="archive" className="button button--secondary">
              Archive
            </button>
          </Form>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data && !data.signedOut ? `Edit: ${data.title}` : "Edit",
    description: "Edit an item in the library.",
  });
