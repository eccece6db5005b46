import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";

import { requireRole } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { actorFrom } from "~/models/actor.server";
import { CommunityFormSchema, createCommunity } from "~/models/community.server";
import { COMMUNITY_KINDS, COMMUNITY_VISIBILITIES } from "~/models/discussion-vocabulary";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath } from "~/utils/paths";

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
  const errors: Record<string, string | undefined> = reply.fieldErrors();
  const describedBy = (name: string) => (errors[name] ? `${name}-error` : undefined);
  return (
    <>
      <h1>Create a community</h1>
      <ErrorSummary problems={replyProblems(reply)} submission={actionData} />
      <Form method="post" className="stacked-form" noValidate>
        <label htmlFor="name">Name</label>
        {errors.name ? (
          <p className="field__error" id="name-error">
            {errors.name}
          </p>
        ) : null}
        <input
          id="name"
          name="name"
          defaultValue={reply.valueOf("name")}
          aria-describedby={describedBy("name")}
          aria-invalid={errors.name ? true : undefined}
        />

        <label htmlFor="description">Who it is for and what it discusses</label>
        {errors.description ? (
          <p className="field__error" id="description-error">
            {errors.description}
          </p>
        ) : null}
        <textarea
          id="description"
          name="description"
          rows={3}
          defaultValue={reply.valueOf("description")}
          aria-describedby={describedBy("description")}
          aria-invalid={errors.description ? true : undefined}
        />

        <fieldset aria-describedby={describedBy("kind")}>
          <legend>Kind</legend>
          {errors.kind ? (
            <p className="field__error" id="kind-error">
              {errors.kind}
            </p>
          ) : null}
          {Object.entries(COMMUNITY_KINDS).map(([value, label]) => (
            <div className="radio" key={value}>
              <input
                type="radio"
                id={value === "region" ? "kind" : `kind-${value}`}
                name="kind"
                value={value}
                defaultChecked={reply.valueOf("kind") === value}
              />
              <label htmlFor={value === "region" ? "kind" : `kind-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>

        <fieldset aria-describedby={describedBy("visibility")}>
          <legend>Who can read its threads</legend>
          {errors.visibility ? (
            <p className="field__error" id="visibility-error">
              {errors.visibility}
            </p>
          ) : null}
          {Object.entries(COMMUNITY_VISIBILITIES).map(([value, label]) => (
            <div className="radio" key={value}>
              <input
                type="radio"
                id={value === "open" ? "visibility" : `visibility-${value}`}
                name="visibility"
                value={value}
                defaultChecked={(reply.valueOf("visibility") ?? "open") === value}
              />
              <label htmlFor={value === "open" ? "visibility" : `visibility-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
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
