import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import type { ChartProblem } from "~/charts/render-chart.server";
import { formatBytes } from "~/components/datasets";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field, FileField, TextareaField } from "~/components/form-fields";
import { DataProblem } from "~/datasets/data-table";
import { DATASET_MAX_BYTES } from "~/datasets/prepare.server";
import { type Actor, actorFrom } from "~/models/actor.server";
import { attachDataset, listItemDatasets, removeUploadedDataset } from "~/models/dataset.server";
import { requireCanEditItem } from "~/models/item-permissions.server";
import { DatasetReferenceSchema } from "~/models/item-schema";
import { findItemBySlug, listChartProblems } from "~/models/item.server";
import { RenderRefused } from "~/rendering/render-refused";
import { readReply } from "~/utils/forms";
import {
  parseSubmission,
  readFormData,
  readPartWithin,
  replyToUnreadForm,
  replyWithErrors,
  responseForDomainError,
} from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemDatasetPath, itemDatasetsPath, itemPath } from "~/utils/paths";

// The form also sends the file, which is read apart from the schema: its extra key is dropped.
const ProvenanceFormSchema = z.object(DatasetReferenceSchema.omit({ file: true }).shape);
type FieldName = keyof z.infer<typeof ProvenanceFormSchema>;

async function requireEditableDataStory(request: Request, context: LoaderFunctionArgs["context"], slug: string) {
  const user = actorFrom(await requireUser(request, context));
  const item = await findItemBySlug({ slug });
  if (!item || item.type !== "data-story")
    throw new Response("There is no data story at this address.", { status: 404 });
  try {
    await requireCanEditItem({ user, itemId: item.id });
  } catch (error) {
    throw responseForDomainError(error);
  }
  return { user, item };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { item } = await requireEditableDataStory(request, context, params.slug ?? "");
  const url = new URL(request.url);
  const [datasets, chartCheck] = await Promise.all([
    listItemDatasets({ itemId: item.id }),
    listChartProblems({ itemId: item.id }).then(
      (problems) => ({ problems, failure: null as string | null }),
      (error: unknown) => {
        if (error instanceof RenderRefused) return { problems: [] as ChartProblem[], failure: error.message };
        throw error;
      },
    ),
  ]);
  const attached = url.searchParams.get("attached");
  const removed = url.searchParams.get("removed");
  return {
    item,
    datasets,
    chartProblems: chartCheck.problems,
    chartCheckFailure: chartCheck.failure,
    attached: datasets.find((dataset) => dataset.fileName === attached) ?? null,
    removed: removed && !datasets.some((dataset) => dataset.fileName === removed) ? removed : null,
  };
}

/** Reads an uploaded file into memory, up to the limit; a larger one is drained and marked, so the other fields survive. */
function fileUploadHandler(state: { tooLarge: boolean }): UploadHandler {
  return async ({ name, filename, data }) => {
    if (name !== "file" || filename === undefined) return undefined;
    const { bytes, tooLarge } = await readPartWithin(data, DATASET_MAX_BYTES);
    if (tooLarge) state.tooLarge = true;
    if (tooLarge || filename === "") return "";
    return new File([bytes], filename);
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, item } = await requireEditableDataStory(request, context, params.slug ?? "");
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("application/x-www-form-urlencoded")) return removeDataset(request, { item, user });
  if (!contentType.startsWith("multipart/form-data")) {
    return replyToUnreadForm({ file: "Choose a file to attach." });
  }
  const upload = { tooLarge: false };
  const form = await unstable_parseMultipartFormData(
    request,
    unstable_composeUploadHandlers(
      fileUploadHandler(upload),
      unstable_createMemoryUploadHandler({ maxPartSize: 20_000 }),
    ),
  ).catch(() => {
    throw new Response("We could not read that upload, so nothing was attached. Go back and choose the file again.", {
      status: 400,
    });
  });
  const submission = parseSubmission(form, ProvenanceFormSchema);
  const file = form.get("file");
  const fileProblem = upload.tooLarge
    ? "The file is larger than 5 MB. Attach a smaller extract, or link to the full file in the story."
    : !(file instanceof File) || file.size === 0
      ? file instanceof File && file.name
        ? `${file.name} is empty.`
        : "Choose a CSV or OCDS JSON file to attach."
      : null;
  if (submission.status !== "success" || fileProblem || !(file instanceof File)) {
    return replyWithErrors(submission, fileProblem ? { file: fileProblem } : {});
  }
  const provenance = submission.value;
  try {
    const result = await attachDataset({
      itemId: item.id,
      user,
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
      provenance: {
        title: provenance.title,
        publisher: provenance.publisher,
        sourceUrl: provenance.source_url,
        licence: provenance.licence,
        attribution: provenance.attribution,
      },
    });
    return redirect(`${itemDatasetsPath(item.slug)}?attached=${encodeURIComponent(result.fileName)}`);
  } catch (error) {
    if (!(error instanceof DataProblem || error instanceof RenderRefused)) throw responseForDomainError(error);
    return replyWithErrors(submission, { file: error.message });
  }
}

const RemoveSchema = z.object({ intent: z.literal("remove"), fileName: z.string().min(1) });

async function removeDataset(request: Request, { item, user }: { item: { id: number; slug: string }; user: Actor }) {
  const submission = parseSubmission(await readFormData(request), RemoveSchema);
  if (submission.status !== "success") throw new Response("This form is not one we know.", { status: 400 });
  const { fileName } = submission.value;
  try {
    await removeUploadedDataset({ itemId: item.id, fileName, user });
  } catch (error) {
    if (!(error instanceof DataProblem || error instanceof RenderRefused)) throw responseForDomainError(error);
    return replyWithErrors(submission, { remove: error.message });
  }
  return redirect(`${itemDatasetsPath(item.slug)}?removed=${encodeURIComponent(fileName)}`);
}

/** The provenance fields, as the form labels them and the error summary names them. */
const PROVENANCE_FIELDS: { name: FieldName; label: string; hint: string; multiline?: boolean; type?: "url" }[] = [
  {
    name: "title",
    label: "Title",
    hint: 'What the data is, as a reader would search for it, e.g. "Cabinet Office spend over £25,000, 2010 to 2022".',
  },
  { name: "publisher", label: "Publisher", hint: 'Who published the data, e.g. "Cabinet Office".' },
  { name: "source_url", label: "Source web address", hint: "Where you got it, starting https://", type: "url" },
  { name: "licence", label: "Licence", hint: 'e.g. "Open Government Licence v3.0".' },
  {
    name: "attribution",
    label: "Attribution line",
    hint: 'Exactly what the licence asks you to show, e.g. "Contains public sector information licensed under the Open Government Licence v3.0".',
    multiline: true,
  },
];

export default function ItemDatasetsRoute() {
  const { item, datasets, chartProblems, chartCheckFailure, attached, removed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  const navigation = useNavigation();
  return (
    <div className="prose-page">
      <p>
        <Link to={itemPath(item.slug)}>Back to “{item.title}”</Link>
      </p>
      <h1>Datasets for “{item.title}”</h1>

      <ErrorSummary
        title="The dataset was not attached"
        problems={replyProblems(reply, (field) => (field === "remove" ? "#attached-heading" : `#${field}`))}
        submission={actionData}
      />

      {attached ? (
        <div className="notice notice--success" role="status">
          <p>
            <strong>Attached {attached.fileName}.</strong> Use it in a chart with{" "}
            <code>dataset: {attached.fileName}</code>.
          </p>
          {attached.notes.map((note) => (
            <p key={note}>{note}</p>
          ))}
        </div>
      ) : null}

      {removed ? (
        <div className="notice notice--success" role="status">
          <p>
            <strong>Removed {removed}.</strong> Charts that used it now say so in the story.
          </p>
        </div>
      ) : null}

      {chartCheckFailure ? (
        <p className="notice notice--warning">
          We could not check the story&apos;s charts just now. {chartCheckFailure}
        </p>
      ) : null}
      {chartProblems.length > 0 ? (
        <section className="notice notice--warning" aria-labelledby="chart-problems">
          <h2 id="chart-problems">Charts that cannot be drawn yet</h2>
          <ul>
            {chartProblems.map((problem) => (
              <li key={problem.position}>
                Chart {problem.position}
                {problem.line === null ? "" : ` (line ${problem.line} of the story's text)`}: {problem.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="attached-heading">
        <h2 id="attached-heading">Attached datasets</h2>
        {datasets.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul className="dataset-list">
            {datasets.map((dataset) => (
              <li key={dataset.id}>
                <p className="dataset-list__title">{dataset.title}</p>
                <p>
                  <code>{dataset.fileName}</code> ({dataset.format === "csv" ? "CSV" : "OCDS JSON"},{" "}
                  {formatBytes(dataset.sizeBytes)}).{" "}
                  <a href={itemDatasetPath(item.slug, dataset.fileName)} download>
                    Download<span className="visually-hidden"> {dataset.fileName}</span>
                  </a>
                </p>
                <p className="attribution">{dataset.attribution}</p>
                {dataset.origin === "upload" ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="fileName" value={dataset.fileName} />
                    <button type="submit" className="button button--secondary">
                      Remove<span className="visually-hidden"> {dataset.fileName}</span>
                    </button>
                  </Form>
                ) : (
                  <p className="field__hint">From the story's content file: change it there.</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="attach-heading">
        <h2 id="attach-heading">Attach a dataset</h2>
        <p>
          A CSV file, or an OCDS release or record package (JSON), up to 5 MB. Contact names, emails and phone numbers
          are removed from OCDS files before they are stored. Then chart it in the story with a <code>```chart</code>{" "}
          block, for example:
        </p>
        <pre>
          <code>
            {
              "```chart\nkind: bar\ntitle: Spend by month\ndataset: spend.csv\nlabel: Month\nvalues: Total\nunits: gbp\n```"
            }
          </code>
        </pre>
        <Form method="post" encType="multipart/form-data" noValidate className="stack-form">
          <FileField
            name="file"
            label="Data file"
            hint=".csv or .json, at most 5 MB."
            error={reply.errorOf("file")}
            accept=".csv,.json,text/csv,application/json"
          />
          {PROVENANCE_FIELDS.map((field) =>
            field.multiline ? (
              <TextareaField
                key={field.name}
                name={field.name}
                label={field.label}
                hint={field.hint}
                error={reply.errorOf(field.name)}
                defaultValue={reply.valueOf(field.name)}
                rows={3}
              />
            ) : (
              <Field
                key={field.name}
                name={field.name}
                label={field.label}
                hint={field.hint}
                error={reply.errorOf(field.name)}
                defaultValue={reply.valueOf(field.name)}
                type={field.type}
              />
            ),
          )}
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            Attach dataset
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `Datasets for ${data.item.title}` : "Datasets",
    description: "Attach a CSV or OCDS dataset to a data story.",
  });
