import { Form, useFetcher } from "@remix-run/react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { z } from "zod";

import {
  DATASET_COLUMNS,
  type FieldError,
  fieldId,
  first,
  type FormValues,
  OUTCOME_COLUMNS,
  type RowField,
  rowCount,
  SOURCE_COLUMNS,
} from "~/models/item-form";
import { SUMMARY_MAX_LENGTH } from "~/models/item-schema";
import type { DiffLine } from "~/models/revision-diff.server";
import {
  CONTRACT_CATEGORIES,
  ENGLISH_REGIONS,
  ITEM_TYPES,
  type ItemStatus,
  type ItemType,
  KPI_RATINGS,
  LIFECYCLE_STAGES,
  NATIONS,
  NOTICES,
  ORGANISATION_TYPES,
  PROCEDURES,
  REGIMES,
  THEMES,
  TIP_BASES,
  VALUE_BANDS,
} from "~/models/vocabulary";
import { readStoredJson } from "~/utils/stored-json";

import { DiffTable } from "./diff-table";
import { ErrorSummary } from "./error-summary";

type Options = Readonly<Record<string, string>>;

type ConflictVersion = {
  version: number;
  title: string;
  summary: string;
  body: string;
  savedAt: string;
  savedBy: string | null;
  /** Their body compared with the writer's. */
  diff: DiffLine[];
};

export type ItemEditorProps = {
  type: ItemType;
  mode: "new" | "existing";
  status: ItemStatus;
  version: number | null;
  values: FormValues;
  errors: FieldError[];
  preview: { html: string } | null;
  notice: string | null;
  formKey: string;
  signedOut: boolean;
  conflict: ConflictVersion | null;
  /** Where autosaved text is kept in this browser. */
  storageKey: string;
  /** The item being edited, so the preview draws its charts from the item's datasets. */
  slug?: string;
};

const ROW_LABELS: Record<RowField, { singular: string; columns: Record<string, string> }> = {
  outcomes: {
    singular: "Outcome",
    columns: { measure: "What was measured", baseline: "Baseline", result: "Result", evidence: "Evidence" },
  },
  sources: { singular: "Source", columns: { title: "Title", url: "Web address" } },
  datasets: {
    singular: "Dataset",
    columns: {
      title: "Title",
      publisher: "Publisher",
      source_url: "Source web address",
      licence: "Licence",
      attribution: "Attribution line",
    },
  },
};

const ROW_COLUMNS: Record<RowField, readonly string[]> = {
  outcomes: OUTCOME_COLUMNS,
  sources: SOURCE_COLUMNS,
  datasets: DATASET_COLUMNS,
};

function errorFor(errors: FieldError[], name: string) {
  return errors.find((error) => error.field === name)?.message;
}

function ErrorMessage({ name, errors }: { name: string; errors: FieldError[] }) {
  const message = errorFor(errors, name);
  if (!message) return null;
  return (
    <p className="field__error" id={`${fieldId(name)}-error`}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

function describedBy(name: string, errors: FieldError[], hint?: boolean) {
  const ids = [hint ? `${fieldId(name)}-hint` : null, errorFor(errors, name) ? `${fieldId(name)}-error` : null].filter(
    Boolean,
  );
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function Field({
  name,
  label,
  hint,
  values,
  errors,
  type = "text",
  multiline = false,
  rows = 4,
  inputMode,
}: {
  name: string;
  label: string;
  hint?: string;
  values: FormValues;
  errors: FieldError[];
  type?: string;
  multiline?: boolean;
  rows?: number;
  inputMode?: "decimal";
}) {
  const common = {
    id: fieldId(name),
    name,
    defaultValue: first(values, name),
    "aria-describedby": describedBy(name, errors, Boolean(hint)),
    "aria-invalid": errorFor(errors, name) ? true : undefined,
  };
  return (
    <div className={`field${errorFor(errors, name) ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorMessage name={name} errors={errors} />
      {multiline ? <textarea rows={rows} {...common} /> : <input type={type} inputMode={inputMode} {...common} />}
    </div>
  );
}

function SelectField({
  name,
  label,
  options,
  values,
  errors,
  required = false,
}: {
  name: string;
  label: string;
  options: Options;
  values: FormValues;
  errors: FieldError[];
  required?: boolean;
}) {
  return (
    <div className={`field${errorFor(errors, name) ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="field-optional"> (optional)</span>}
      </label>
      <ErrorMessage name={name} errors={errors} />
      <select
        id={fieldId(name)}
        name={name}
        defaultValue={first(values, name)}
        aria-describedby={describedBy(name, errors)}
        aria-invalid={errorFor(errors, name) ? true : undefined}
      >
        <option value="">{required ? "Choose one" : "Not given"}</option>
        {Object.entries(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function CheckboxGroup({
  name,
  legend,
  hint,
  options,
  values,
  errors,
}: {
  name: string;
  legend: string;
  hint?: string;
  options: Options;
  values: FormValues;
  errors: FieldError[];
}) {
  const chosen = new Set(values[name] ?? []);
  return (
    <fieldset
      className={`field checkboxes${errorFor(errors, name) ? " field--error" : ""}`}
      aria-describedby={describedBy(name, errors, Boolean(hint))}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p className="field__hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorMessage name={name} errors={errors} />
      {Object.entries(options).map(([value, text], index) => {
        const id = index === 0 ? fieldId(name) : `${fieldId(name)}-${value}`;
        return (
          <div className="checkbox" key={value}>
            <input type="checkbox" id={id} name={name} value={value} defaultChecked={chosen.has(value)} />
            <label htmlFor={id}>{text}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

function RowsField({
  field,
  legend,
  hint,
  values,
  errors,
}: {
  field: RowField;
  legend: string;
  hint?: string;
  values: FormValues;
  errors: FieldError[];
}) {
  const count = Math.max(rowCount(values, field), 1);
  const labels = ROW_LABELS[field];
  return (
    <fieldset className={`field rows${errorFor(errors, field) ? " field--error" : ""}`} id={fieldId(field)}>
      <legend>{legend}</legend>
      {hint ? <p className="field__hint">{hint}</p> : null}
      <ErrorMessage name={field} errors={errors} />
      {Array.from({ length: count }, (_, index) => (
        <fieldset className="row" key={index}>
          <legend>
            {labels.singular} {index + 1}
          </legend>
          {ROW_COLUMNS[field].map((column) => (
            <Field
              key={column}
              name={`${field}[${index}].${column}`}
              label={labels.columns[column] ?? column}
              values={values}
              errors={errors}
              type={column.endsWith("url") ? "url" : "text"}
            />
          ))}
          <button
            type="submit"
            name="intent"
            value={`remove-row:${field}:${index}`}
            className="button button--secondary button--small"
          >
            Remove {labels.singular.toLowerCase()} {index + 1}
          </button>
        </fieldset>
      ))}
      <button type="submit" name="intent" value={`add-row:${field}`} className="button button--secondary">
        Add another {labels.singular.toLowerCase()}
      </button>
    </fieldset>
  );
}

function CaseStudyFields({ values, errors }: { values: FormValues; errors: FieldError[] }) {
  return (
    <fieldset className="editor__group">
      <legend>About the case</legend>
      <SelectField
        name="organisation_type"
        label="Organisation type"
        options={ORGANISATION_TYPES}
        values={values}
        errors={errors}
        required
      />
      <SelectField name="nation" label="Nation" options={NATIONS} values={values} errors={errors} required />
      <SelectField name="region" label="English region" options={ENGLISH_REGIONS} values={values} errors={errors} />
      <SelectField name="regime" label="Regime" options={REGIMES} values={values} errors={errors} required />
      <CheckboxGroup
        name="lifecycle_stages"
        legend="Lifecycle stages"
        options={LIFECYCLE_STAGES}
        values={values}
        errors={errors}
      />
      <SelectField name="procedure" label="Procedure" options={PROCEDURES} values={values} errors={errors} />
      <SelectField
        name="contract_category"
        label="Contract category"
        options={CONTRACT_CATEGORIES}
        values={values}
        errors={errors}
      />
      <SelectField name="value_band" label="Value band" options={VALUE_BANDS} values={values} errors={errors} />
      <CheckboxGroup
        name="notices_used"
        legend="Notices used (optional)"
        options={NOTICES}
        values={values}
        errors={errors}
      />
      <Field
        name="social_value_weighting"
        label="Social value weighting, per cent (optional)"
        hint="A number from 0 to 100, like 10"
        values={values}
        errors={errors}
        inputMode="decimal"
      />
      <SelectField name="kpi_rating" label="KPI rating" options={KPI_RATINGS} values={values} errors={errors} />
      <RowsField
        field="outcomes"
        legend="Outcomes (optional)"
        hint="What changed: the measure, where it started, where it got to, and how you know."
        values={values}
        errors={errors}
      />
      <Field
        name="lessons"
        label="Lessons learned (optional)"
        hint="One lesson per line"
        values={values}
        errors={errors}
        multiline
      />
    </fieldset>
  );
}

function TipFields({ values, errors }: { values: FormValues; errors: FieldError[] }) {
  return (
    <fieldset className="editor__group">
      <legend>About the tip</legend>
      <SelectField name="basis" label="Basis" options={TIP_BASES} values={values} errors={errors} required />
      <CheckboxGroup
        name="applies_to.notices"
        legend="Applies to notices (optional)"
        options={NOTICES}
        values={values}
        errors={errors}
      />
      <CheckboxGroup
        name="applies_to.procedures"
        legend="Applies to procedures (optional)"
        options={PROCEDURES}
        values={values}
        errors={errors}
      />
      <Field
        name="applies_to.act_sections"
        label="Applies to Act sections (optional)"
        hint="One per line, like s12 or Schedule 5"
        values={values}
        errors={errors}
        multiline
        rows={3}
      />
      <RowsField field="sources" legend="Sources (optional)" values={values} errors={errors} />
    </fieldset>
  );
}

function DataStoryFields({ values, errors }: { values: FormValues; errors: FieldError[] }) {
  return (
    <fieldset className="editor__group">
      <legend>About the data</legend>
      <RowsField
        field="datasets"
        legend="Datasets"
        hint="Every dataset you used, with the attribution its licence asks for."
        values={values}
        errors={errors}
      />
      <Field
        name="method"
        label="Method"
        hint="How you got from the data to the answer"
        values={values}
        errors={errors}
        multiline
        rows={5}
      />
      <Field
        name="caveats"
        label="Caveats (optional)"
        hint="One per line"
        values={values}
        errors={errors}
        multiline
        rows={3}
      />
    </fieldset>
  );
}

function SummaryField({ values, errors }: { values: FormValues; errors: FieldError[] }) {
  const [length, setLength] = useState(first(values, "summary").length);
  const remaining = SUMMARY_MAX_LENGTH - length;
  const name = "summary";
  return (
    <div className={`field${errorFor(errors, name) ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>Summary</label>
      <p className="field__hint" id={`${fieldId(name)}-hint`}>
        What will the reader learn? Shown in lists and search results. At most {SUMMARY_MAX_LENGTH} characters.
      </p>
      <ErrorMessage name={name} errors={errors} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={3}
        defaultValue={first(values, name)}
        onChange={(event) => setLength(event.currentTarget.value.length)}
        aria-describedby={[
          `${fieldId(name)}-hint`,
          `${fieldId(name)}-count`,
          errorFor(errors, name) ? `${fieldId(name)}-error` : null,
        ]
          .filter(Boolean)
          .join(" ")}
        aria-invalid={errorFor(errors, name) ? true : undefined}
      />
      <p
        className={`character-count${remaining < 0 ? " character-count--over" : ""}`}
        id={`${fieldId(name)}-count`}
        aria-live="polite"
      >
        {remaining >= 0
          ? `You have ${remaining} character${remaining === 1 ? "" : "s"} remaining`
          : `You have ${-remaining} character${remaining === -1 ? "" : "s"} too many`}
      </p>
    </div>
  );
}

const StoredDraftSchema = z.object({
  savedAt: z.string(),
  version: z.number().nullable(),
  entries: z.array(z.tuple([z.string(), z.string()])),
});

type StoredDraft = z.infer<typeof StoredDraftSchema>;

/** Autosaves the form's text in this browser, and offers it back after a crash or a lost session. */
function useBrowserDraft(formRef: React.RefObject<HTMLFormElement | null>, storageKey: string, version: number | null) {
  const [status, setStatus] = useState("");
  const [offer, setOffer] = useState<StoredDraft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const key = `commons-draft:${storageKey}`;

  useEffect(() => {
    try {
      // A draft another version of this page kept, or one edited by hand, is not offered.
      const draft = readStoredJson(StoredDraftSchema, window.localStorage.getItem(key));
      if (!draft) return;
      const form = formRef.current;
      if (!form) return;
      const current = new FormData(form);
      const differs = draft.entries.some(
        ([name, value]) => name !== "version" && !current.getAll(name).includes(value),
      );
      if (differs) setOffer(draft);
      else window.localStorage.removeItem(key);
    } catch {
      // Storage can be unavailable (private windows, quotas): autosave is a bonus, never a blocker.
    }
    return () => clearTimeout(timer.current);
  }, [key, formRef]);

  function schedule() {
    clearTimeout(timer.current);
    setStatus("Unsaved changes");
    timer.current = setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      const entries = [...new FormData(form).entries()].filter(
        (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "intent",
      );
      try {
        window.localStorage.setItem(
          key,
          JSON.stringify({ savedAt: new Date().toISOString(), version, entries } satisfies StoredDraft),
        );
        setStatus(
          `Draft kept in this browser at ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`,
        );
      } catch {
        setStatus("Could not keep a copy in this browser: save your draft to be safe");
      }
    }, 800);
  }

  function restore() {
    const form = formRef.current;
    if (!form || !offer) return;
    const byName = new Map<string, string[]>();
    for (const [name, value] of offer.entries) byName.set(name, [...(byName.get(name) ?? []), value]);
    for (const element of Array.from(form.elements)) {
      if (!(
        element instanceof HTMLInputElement ||
        element instanceof HTMLTextAreaElement ||
        element instanceof HTMLSelectElement
      ))
        continue;
      if (!element.name || element.name === "version" || element.name === "intent" || element.type === "file") continue;
      const stored = byName.get(element.name);
      if (!stored) continue;
      if (element instanceof HTMLInputElement && element.type === "checkbox")
        element.checked = stored.includes(element.value);
      else element.value = stored[0] ?? "";
    }
    setOffer(null);
    setStatus("Restored the text kept in this browser");
  }

  function discard() {
    window.localStorage.removeItem(key);
    setOffer(null);
  }

  function clear() {
    clearTimeout(timer.current);
    window.localStorage.removeItem(key);
  }

  return { status, offer, schedule, restore, discard, clear };
}

function LivePreview({
  formRef,
  initialHtml,
  slug,
}: {
  formRef: React.RefObject<HTMLFormElement | null>;
  initialHtml: string | null;
  slug: string | undefined;
}) {
  const fetcher = useFetcher<{ html: string }>();
  const html = fetcher.data?.html ?? initialHtml;
  return (
    <section className="editor__preview" aria-labelledby="preview-heading" data-live-preview={fetcher.state}>
      <h2 id="preview-heading">Preview</h2>
      <p className="field__hint">This is how the body will look when published.</p>
      <PreviewRefresh
        formRef={formRef}
        submit={(body) =>
          fetcher.submit({ body, ...(slug ? { slug } : {}) }, { method: "post", action: "/resources/item-preview" })
        }
      />
      {html ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p>Start writing to see a preview.</p>
      )}
    </section>
  );
}

function PreviewRefresh({
  formRef,
  submit,
}: {
  formRef: React.RefObject<HTMLFormElement | null>;
  submit: (body: string) => void;
}) {
  useEffect(() => {
    const form = formRef.current;
    const body = form?.elements.namedItem("body");
    if (!(body instanceof HTMLTextAreaElement)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = "";
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (body.value === last) return;
        last = body.value;
        submit(body.value);
      }, 400);
    };
    refresh();
    body.addEventListener("input", refresh);
    return () => {
      clearTimeout(timer);
      body.removeEventListener("input", refresh);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formRef]);
  return null;
}

export function ItemEditor(props: ItemEditorProps) {
  const { type, mode, status, version, values, errors, preview, notice, signedOut, conflict, formKey, storageKey } =
    props;
  const formRef = useRef<HTMLFormElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const draft = useBrowserDraft(formRef, storageKey, version);

  const saving = (
    <div className="editor__actions">
      <button type="submit" name="intent" value="preview" className="button button--secondary">
        Preview
      </button>
      {status === "published" && mode === "existing" ? (
        <button type="submit" name="intent" value="save" className="button">
          Save changes
        </button>
      ) : (
        <>
          <button type="submit" name="intent" value="save-draft" className="button button--secondary">
            Save draft
          </button>
          <button type="submit" name="intent" value="publish" className="button">
            Publish
          </button>
        </>
      )}
    </div>
  );

  return (
    <div className={`editor${hydrated ? " editor--live" : ""}`}>
      {signedOut ? (
        <div className="notice notice--warning" role="alert">
          <h2>Your session has ended: sign in again to save</h2>
          <p>
            Nothing you typed has been lost: it is all still in the form below.{" "}
            <a href="/sign-in" target="_blank" rel="noopener">
              Sign in again (opens in a new tab)
            </a>
            , then come back to this tab and press your save button again.
          </p>
        </div>
      ) : null}
      {conflict ? <ConflictPanel conflict={conflict} /> : null}
      {errors.length > 0 ? (
        <ErrorSummary
          problems={errors.map((error) => ({
            key: error.field,
            message: error.message,
            href: `#${fieldId(error.field)}`,
          }))}
          submission={errors}
        >
          <p>Nothing has been saved yet. Everything you typed is still here.</p>
        </ErrorSummary>
      ) : null}
      {notice ? (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {draft.offer ? (
        <div className="notice notice--warning" role="region" aria-label="Unsaved text">
          <p>This browser kept text you had not saved, from {new Date(draft.offer.savedAt).toLocaleString("en-GB")}.</p>
          <button type="button" className="button" onClick={draft.restore}>
            Restore unsaved text
          </button>{" "}
          <button type="button" className="button button--secondary" onClick={draft.discard}>
            Discard it
          </button>
        </div>
      ) : null}

      <div className="editor__layout">
        <Form
          method="post"
          encType="multipart/form-data"
          key={formKey}
          ref={formRef}
          className="editor__form"
          noValidate
          onInput={draft.schedule}
          onChange={draft.schedule}
          onSubmit={(event) => {
            const submitter = (event.nativeEvent as SubmitEvent).submitter;
            const intent = submitter instanceof HTMLButtonElement ? submitter.value : "";
            if (["save", "save-draft", "publish"].includes(intent)) draft.clear();
          }}
        >
          {/* Enter in a text box previews rather than saving or removing a row. */}
          <button type="submit" name="intent" value="preview" hidden tabIndex={-1}>
            Preview
          </button>
          {version !== null ? (
            <input type="hidden" name="version" value={first(values, "version") || String(version)} />
          ) : null}
          <p className="editor__type">{ITEM_TYPES[type]}</p>
          <Field name="title" label="Title" values={values} errors={errors} />
          <SummaryField values={values} errors={errors} />
          <CheckboxGroup
            name="themes"
            legend="Themes"
            hint="Choose at least one."
            options={THEMES}
            values={values}
            errors={errors}
          />
          <Field
            name="tags"
            label="Tags (optional)"
            hint="Separate tags with commas, like social-value, kpis, uk9"
            values={values}
            errors={errors}
          />
          {type === "case-study" ? <CaseStudyFields values={values} errors={errors} /> : null}
          {type === "tip" ? <TipFields values={values} errors={errors} /> : null}
          {type === "data-story" ? <DataStoryFields values={values} errors={errors} /> : null}
          <Field
            name="body"
            label="Body"
            hint="Markdown: ## for headings, * for lists, [text](https://...) for links. HTML is shown as text."
            values={values}
            errors={errors}
            multiline
            rows={18}
          />
          <fieldset className="field editor__image">
            <legend>Add an image (optional)</legend>
            <p className="field__hint">PNG, JPEG or WebP, smaller than 5 MB. It is added at the end of the body.</p>
            <div className={`field${errorFor(errors, "image") ? " field--error" : ""}`}>
              <label htmlFor={fieldId("image")}>Image file</label>
              <ErrorMessage name="image" errors={errors} />
              <input type="file" id={fieldId("image")} name="image" accept="image/png,image/jpeg,image/webp" />
            </div>
            <Field
              name="image_alt"
              label="Alt text"
              hint="Describe what the image shows for people who cannot see it."
              values={values}
              errors={errors}
            />
            <Field name="image_caption" label="Caption (optional)" values={values} errors={errors} />
            <button type="submit" name="intent" value="upload-image" className="button button--secondary">
              Upload image
            </button>
          </fieldset>
          <Field
            name="review_by"
            label="Review by (optional)"
            hint="When should you check this is still right? For example 2027-03-31."
            values={values}
            errors={errors}
            type="date"
          />
          {mode === "existing" ? (
            <Field
              name="note"
              label="Note about this change (optional)"
              hint="Shown in the item's history."
              values={values}
              errors={errors}
            />
          ) : null}
          {saving}
          <p className="editor__autosave" role="status" aria-live="polite">
            {draft.status}
          </p>
        </Form>
        {hydrated ? (
          <LivePreview formRef={formRef} initialHtml={preview?.html ?? null} slug={props.slug} />
        ) : preview ? (
          <section className="editor__preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <p className="field__hint">This is how the body will look when published. Nothing has been saved yet.</p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </section>
        ) : null}
      </div>
    </div>
  );
}

function ConflictPanel({ conflict }: { conflict: ConflictVersion }): ReactNode {
  return (
    <div className="notice notice--warning conflict" role="alert">
      <h2>Someone else saved this item while you were editing</h2>
      <p>
        {conflict.savedBy ?? "Someone"} saved version {conflict.version} at{" "}
        {new Date(conflict.savedAt).toLocaleString("en-GB")}. Your text has not been saved and is still in the form
        below. Their version is shown here: copy anything you want to keep into your text, then save again to replace
        theirs with yours.
      </p>
      <details open>
        <summary>Their version (the current one)</summary>
        <dl className="conflict__current">
          <dt>Title</dt>
          <dd>{conflict.title}</dd>
          <dt>Summary</dt>
          <dd>{conflict.summary}</dd>
          <dt>Body</dt>
          <dd>
            <pre className="conflict__body">{conflict.body}</pre>
          </dd>
        </dl>
      </details>
      {conflict.diff.length > 0 ? (
        <details>
          <summary id="conflict-diff-heading">How your body differs from theirs</summary>
          <DiffTable
            lines={conflict.diff}
            id="conflict-diff-heading"
            caption="Each line: removed if only in their version, added if only in yours"
          />
        </details>
      ) : null}
    </div>
  );
}
