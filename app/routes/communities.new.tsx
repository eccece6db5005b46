import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";

import { requireRole } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, RadiosField, TextareaField } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import { CommunityFormSchema, createCommunity } from "~/models/community.server";
import { COMMUNITY_KINDS, COMMUNITY_VISIBILITIES } from "~/models/discussion-vocabulary";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath } from "~/utils/paths";

const LABELS = {
  name: "Name",
  description: "Who it is for and what it discusses",
  kind: "Kind",
  visibility: "Who can read its threads",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    await requireRole(request, context, "moderator");
    return null;
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const user = actorFrom(await requireRole(request, context, "moderator"));
    const submission = await parseForm(request, CommunityFormSchema);
    if (submission.status !== "success") return rejectedForm(submission);
    try {
      const { slug } = await createCommunity({ form: submission.value, creator: user });
      return redirect(communityPath(slug), 303);
    } catch (error) {
      return replyToDomainError(submission, error);
    }
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function NewCommunity() {
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  return (
    <>
      <h1>Create a community</h1>
      <ErrorSummary problems={replyProblems(reply)} submission={actionData} />
      <Form method="post" className="stack-form" noValidate>
        <Field name="name" label={LABELS.name} defaultValue={reply.valueOf("name")} error={reply.errorOf("name")} />
        <TextareaField
          name="description"
          label={LABELS.description}
          rows={3}
          defaultValue={reply.valueOf("description")}
          error={reply.errorOf("description")}
        />
        <RadiosField
          name="kind"
          legend={LABELS.kind}
          options={COMMUNITY_KINDS}
          defaultValue={reply.valueOf("kind")}
          error={reply.errorOf("kind")}
        />
        <RadiosField
          name="visibility"
          legend={LABELS.visibility}
          options={COMMUNITY_VISIBILITIES}
          defaultValue={reply.valueOf("visibility") ?? "open"}
          error={reply.errorOf("visibility")}
        />
        <div className="form-actions">
          <button type="submit" className="button">
            Create community
          </button>
        </div>
      </Form>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Create a community", description: "Start a new community of practice." });
