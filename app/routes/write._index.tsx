import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";

import { getUser, requireUser } from "~/auth/session.server";
import { ErrorSummary } from "~/components/error-summary";
import { FileField } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import { createItemFromFile } from "~/models/publishing.server";
import { ITEM_TYPE_SLUGS, ITEM_TYPES } from "~/models/vocabulary";
import { readEditorForm } from "~/routes/+shared/item-editor.server";
import { readReply } from "~/utils/forms";
import { replyToUnreadForm } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemEditPath } from "~/utils/paths";

const FILE_MAX_BYTES = 1024 * 1024;

const DESCRIPTIONS = {
  "case-study": "What you did, what changed (with the numbers), and what you learned.",
  tip: "A short, practical how-to, checklist, template or gotcha.",
  "data-story": "A question answered with open data, with the method and caveats.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readEditorForm(request);
  if (!form.ok) return replyToUnreadForm({ file: form.message }, { status: 413 });
  const user = await getUser(request, context);
  if (!user) {
    return replyToUnreadForm(
      { file: "Your session has ended. Sign in again, then upload the file again." },
      { status: 401 },
    );
  }
  const file = form.files.file;
  if (!file) return replyToUnreadForm({ file: "Choose a markdown file to upload" });
  if (file.tooLarge || file.bytes.byteLength > FILE_MAX_BYTES) {
    return replyToUnreadForm({ file: "The file must be smaller than 1 MB" });
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(file.bytes);
  const result = await createItemFromFile({ text, user: actorFrom(user) });
  if (!result.ok) {
    // Every problem in the file is about the one file field, named by the front matter key it is in.
    return replyToUnreadForm({ file: result.problems.map((problem) => `${problem.field}: ${problem.message}`) });
  }
  return redirect(`${itemEditPath(result.slug)}?done=draft`);
}

export default function WriteIndexRoute() {
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  return (
    <>
      <h1>Write for the library</h1>
      <p className="lede">
        Choose what you are writing. You can save a draft at any time and publish when you are ready.
      </p>
      <ul className="write-choices">
        {ITEM_TYPE_SLUGS.map((type) => (
          <li key={type}>
            <h2>
              <Link to={`/write/${type}`}>Write a {ITEM_TYPES[type].toLowerCase()}</Link>
            </h2>
            <p>{DESCRIPTIONS[type]}</p>
          </li>
        ))}
      </ul>
      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">Start from a markdown file</h2>
        <p>
          Upload a file in the library's format (front matter between two lines of <code>---</code>, then markdown),
          such as one you downloaded from an item. It becomes a draft for you to check and publish.
        </p>
        <ErrorSummary
          title="There is a problem with the file"
          problems={reply.errorsOf("file").map((message) => ({ key: message, message, href: "#file" }))}
          submission={actionData}
        />
        <Form method="post" encType="multipart/form-data" className="upload-form">
          <FileField
            name="file"
            label="Markdown file"
            error={reply.errorOf("file")}
            accept=".md,text/markdown,text/plain"
          />
          <button type="submit" className="button">
            Upload and check
          </button>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Write", description: "Write a case study, tip or data story." });
