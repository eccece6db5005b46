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
import { type z } from "zod";

import { requireUser } from "~/auth/session.server";
import type { ChartProblem } from "~/charts/render-chart.server";
import { formatBytes } from "~/components/datasets";
import { ErrorSummary, fieldProblems } from "~/components/error-summary";
import { DataProblem } from "~/datasets/data-table";
import { DATASET_MAX_BYTES } from "~/datasets/prepare.server";
import { attachDataset, listItemDatasets, removeUploadedDataset } from "~/models/dataset.server";
import { canEditItem } from "~/models/item-permissions.server";
import { DatasetReferenceSchema } from "~/models/item-schema";
import { findItemBySlug, listChartProblems } from "~/models/item.server";
import { RenderRefused } from "~/rendering/render-refused";
import { textField } from "~/utils/forms";
import { readFormData } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { itemDatasetPath, itemDatasetsPath, itemPath } from "~/utils/paths";

const ProvenanceSchema = DatasetReferenceSchema.omit({ file: true });
type FieldName = keyof z.infer<typeof ProvenanceSchema> | "file" | "remove";
type FieldErrors = Partial<Record<FieldName, string>>;

async function requireEditableDataStory(request: Request, context: LoaderFunctionArgs["context"], slug: string) {
  const user = await requireUser(request, context);
  const item = await findItemBySlug({ slug });
  if (!item || item.type !== "data-story")
    throw new Response("There is no data story at this address.", { status: 404 });
  if (!(await canEditItem({ user, itemId: item.id }))) {
    throw new Response("Only the story's authors, moderators and admins can attach datasets to it.", { status: 403 });
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
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > DATASET_MAX_BYTES) state.tooLarge = true;
      else chunks.push(new Uint8Array(chunk));
    }
    if (state.tooLarge || filename === "") return "";
    return new File(chunks, filename);
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, item } = await requireEditableDataStory(request, context, params.slug ?? "");
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data") && !contentType.startsWith("application/x-www-form-urlencoded")) {
    return Response.json(
      { errors: { file: "Choose a file to attach." } satisfies FieldErrors, values: {} },
      { status: 400 },
    );
  }
  if (request.headers.get("Content-Type")?.startsWith("application/x-www-form-urlencoded")) {
    const form = await readFormData(request);
    const fileName = textField(form, "fileName");
    if (form.get("intent") !== "remove" || !fileName)
      throw new Response("This form is not one we know.", { status: 400 });
    try {
      await removeUploadedDataset({ itemId: item.id, fileName });
    } catch (error) {
      if (!(error instanceof DataProblem || error instanceof RenderRefused)) throw error;
      return Response.json({ errors: { remove: error.message }, values: {} }, { status: 400 });
    }
    return redirect(`${itemDatasetsPath(item.slug)}?removed=${encodeURIComponent(fileName)}`);
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
  const values = Object.fromEntries(
    (["title", "publisher", "source_url", "licence", "attribution"] as const).map((key) => [key, textField(form, key)]),
  );
  const errors: FieldErrors = {};
  const parsed = ProvenanceSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as FieldName] ??= issue.message;
  }
  const file = form.get("file");
  if (upload.tooLarge)
    errors.file = "The file is larger than 5 MB. Attach a smaller extract, or link to the full file in the story.";
  else if (!(file instanceof File) || file.size === 0)
    errors.file =
      file instanceof File && file.name ? `${file.name} is empty.` : "Choose a CSV or OCDS JSON file to attach.";

  if (Object.keys(errors).length === 0 && parsed.success && file instanceof File) {
    try {
      const result = await attachDataset({
        itemId: item.id,
        userId: user.id,
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
        provenance: {
          title: parsed.data.title,
          publisher: parsed.data.publisher,
          sourceUrl: parsed.data.source_url,
          licence: parsed.data.licence,
          attribution: parsed.data.attribution,
        },
      });
      return redirect(`${itemDatasetsPath(item.slug)}?attached=${encodeURIComponent(result.fileName)}`);
    } catch (error) {
      if (!(error instanceof DataProblem || error instanceof RenderRefused)) throw error;
      errors.file = error.message;
    }
  }
  return Response.json({ errors, values }, { status: 400 });
}

const FIELDS: { name: Exclude<FieldName, "file">; label: string; hint: string; multiline?: boolean; type?: string }[] =
  [
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
  const actionData = useActionData<{ errors: FieldErrors; values: Record<string, string> }>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="prose-page">
      <p>
        <Link to={itemPath(item.slug)}>Back to “{item.title}”</Link>
      </p>
      <h1>Datasets for “{item.title}”</h1>

      <ErrorSummary
        title="The dataset was not attached"
        problems={fieldProblems(errors, (field) => (field === "remove" ? "#attached-heading" : `#dataset-${field}`))}
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
          <div className={`field${errors.file ? " field--error" : ""}`}>
            <label htmlFor="dataset-file">Data file</label>
            <p className="field__hint" id="dataset-file-hint">
              .csv or .json, at most 5 MB.
            </p>
            {errors.file ? (
              <p className="field__error" id="dataset-file-error">
                <span className="visually-hidden">Error: </span>
                {errors.file}
              </p>
            ) : null}
            <input
              id="dataset-file"
              name="file"
              type="file"
              accept=".csv,.json,text/csv,application/json"
              aria-describedby={`dataset-file-hint${errors.file ? " dataset-file-error" : ""}`}
              aria-invalid={errors.file ? true : undefined}
            />
          </div>
          {FIELDS.map((field) => {
            const id = `dataset-${field.name}`;
            const error = errors[field.name];
            const describedBy = `${id}-hint${error ? ` ${id}-error` : ""}`;
            const shared = {
              id,
              name: field.name,
              defaultValue: values[field.name] ?? "",
              "aria-describedby": describedBy,
              "aria-invalid": error ? true : undefined,
            };
            return (
              <div key={field.name} className={`field${error ? " field--error" : ""}`}>
                <label htmlFor={id}>{field.label}</label>
                <p className="field__hint" id={`${id}-hint`}>
                  {field.hint}
                </p>
                {error ? (
                  <p className="field__error" id={`${id}-error`}>
                    <span className="visually-hidden">Error: </span>
                    {error}
                  </p>
                ) : null}
                {field.multiline ? (
                  <textarea rows={3} {...shared} />
                ) : (
                  <input type={field.type ?? "text"} {...shared} />
                )}
              </div>
            );
          })}
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
