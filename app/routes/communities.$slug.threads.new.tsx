import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { ErrorList, Field, TextareaField } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import { getCommunity } from "~/models/community.server";
import { THREAD_KINDS } from "~/models/discussion-vocabulary";
import { NewThreadSchema, startThread } from "~/models/thread.server";
import { THEME_SLUGS, THEMES } from "~/models/vocabulary";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath, threadPath } from "~/utils/paths";

// A form sends one checked theme as a string and none at all when nothing is checked; browsers
// send line breaks as \r\n. A function, because NewThreadSchema (a .server import) is empty in
// the browser bundle, where a top-level call on it would throw.
const newThreadFormSchema = () =>
  NewThreadSchema.extend({
    body: z.preprocess(
      (value) => (typeof value === "string" ? value.replace(/\r\n/g, "\n") : value),
      NewThreadSchema.shape.body,
    ),
    themes: z.preprocess(
      (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]),
      NewThreadSchema.shape.themes,
    ),
  });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await requireUser(request, context));
    const community = await getCommunity({ slug: params.slug ?? "", viewer: user });
    return {
      community: {
        slug: community.slug,
        name: community.name,
        isMembersOnly: community.visibility === "members",
        isMember: community.isMember,
      },
    };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  try {
    const user = actorFrom(await requireUser(request, context));
    const community = await getCommunity({ slug: params.slug ?? "", viewer: user });
    const submission = await parseForm(request, newThreadFormSchema());
    if (submission.status !== "success") return rejectedForm(submission);
    try {
      const { threadId, slug } = await startThread({ communityId: community.id, author: user, form: submission.value });
      return redirect(threadPath({ id: threadId, slug, communitySlug: community.slug }), 303);
    } catch (error) {
      return replyToDomainError(submission, error);
    }
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function NewThread() {
  const { community } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  // A message about one theme of several ("themes[1]") belongs to the themes field.
  const errors: Record<string, string | undefined> = {};
  for (const [field, message] of Object.entries(reply.fieldErrors())) errors[field.replace(/\[.*$/, "")] ??= message;
  const chosenThemes = reply.valuesOf("themes");
  return (
    <>
      <p className="eyebrow">
        <Link to={communityPath(community.slug)}>{community.name}</Link>
      </p>
      <h1>Start a thread</h1>
      <ErrorSummary
        problems={replyProblems(reply, (field) => `#${field === "form" ? "title" : field.replace(/\[.*$/, "")}`)}
        submission={actionData}
      />
      {community.isMembersOnly ? (
        <p className="notice">Only members of {community.name} will see this thread.</p>
      ) : null}
      <Form method="post" className="stacked-form" noValidate>
        <fieldset>
          <legend>What kind of thread?</legend>
          <ErrorList id="kind-error" messages={[errors.kind]} />
          {Object.entries(THREAD_KINDS).map(([value, label], index) => (
            <div className="radio" key={value}>
              <input
                type="radio"
                id={index === 0 ? "kind" : `kind-${value}`}
                name="kind"
                value={value}
                defaultChecked={(reply.valueOf("kind") ?? "question") === value}
              />
              <label htmlFor={index === 0 ? "kind" : `kind-${value}`}>
                {label}
                {value === "question" ? " (replies can be accepted as the answer)" : " (open conversation)"}
              </label>
            </div>
          ))}
        </fieldset>

        <Field name="title" label="Title" error={errors.title} defaultValue={reply.valueOf("title")} />

        <TextareaField
          name="body"
          label="Your post"
          hint="Markdown works. Say what you have tried and what you need."
          rows={10}
          error={errors.body}
          defaultValue={reply.valueOf("body")}
        />

        <fieldset>
          <legend>Themes (optional)</legend>
          <ErrorList id="themes-error" messages={[errors.themes]} />
          {THEME_SLUGS.map((theme, index) => (
            <div className="checkbox" key={theme}>
              <input
                type="checkbox"
                id={index === 0 ? "themes" : `themes-${theme}`}
                name="themes"
                value={theme}
                defaultChecked={chosenThemes.includes(theme)}
              />
              <label htmlFor={index === 0 ? "themes" : `themes-${theme}`}>{THEMES[theme]}</label>
            </div>
          ))}
        </fieldset>

        <Field
          name="tags"
          label="Tags (optional)"
          hint="Separate with commas, for example: uk9, kpis"
          error={errors.tags}
          defaultValue={reply.valueOf("tags")}
        />

        <Field
          name="items"
          label="Library items this is about (optional)"
          hint="The last part of each item's address, separated by commas."
          error={errors.items}
          defaultValue={reply.valueOf("items")}
        />

        <ErrorList id="form-error" messages={[errors.form]} />
        <div className="form-actions">
          <button type="submit" className="button">
            Start thread
          </button>
        </div>
      </Form>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Start a thread", description: "Ask a question or start a discussion." });
