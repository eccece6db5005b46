import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { ErrorSummary } from "~/components/error-summary";
import { ItemEditor } from "~/components/item-editor/item-editor";
import { SignInToWrite } from "~/components/sign-in-to-write";
import type { FormValues } from "~/models/item-form";
import { ITEM_TYPES, type ItemType, isOneOf } from "~/models/vocabulary";
import { handleEditorAction } from "~/routes/+shared/item-editor.server";
import { pageMeta } from "~/utils/meta";

function typeFrom(param: string | undefined): ItemType {
  if (!isOneOf(ITEM_TYPES, param)) throw new Response("There is no such kind of item to write.", { status: 404 });
  return param;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // No redirect to sign in here: this loader also runs after a save whose session had ended,
  // and that page must keep showing the writer's text.
  const user = await getUser(request, context);
  return { type: typeFrom(params.type), isSignedIn: user !== null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleEditorAction({ request, context, target: { kind: "new", type: typeFrom(params.type) } });
}

export default function WriteRoute() {
  const { type, isSignedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!isSignedIn && !actionData)
    return <SignInToWrite heading={`Write a ${ITEM_TYPES[type].toLowerCase()}`} back={`/write/${type}`} />;
  const form = actionData && actionData.kind !== "too-large" ? actionData : null;
  const values: FormValues = form?.values ?? { themes: [] };
  return (
    <>
      <h1>Write a {ITEM_TYPES[type].toLowerCase()}</h1>
      {actionData?.kind === "too-large" ? (
        <ErrorSummary problems={[]} submission={actionData}>
          <p>{actionData.message}</p>
        </ErrorSummary>
      ) : null}
      <ItemEditor
        type={type}
        mode="new"
        status="draft"
        version={null}
        values={values}
        errors={form?.errors ?? []}
        preview={form?.preview ?? null}
        notice={form?.notice ?? null}
        formKey={actionData?.formKey ?? "initial"}
        signedOut={form?.kind === "signed-out"}
        conflict={null}
        storageKey={`new-${type}`}
      />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `Write a ${ITEM_TYPES[data.type].toLowerCase()}` : "Write",
    description: "Write an item for the library.",
  });
