import { useState } from "react";

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
import {
  CONTRACT_CATEGORIES,
  ENGLISH_REGIONS,
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

type Options = Readonly<Record<string, string>>;

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

/** The item form's fields: those every item has, the ones its type adds, the body and an image. */
export function ItemFormFields({
  type,
  mode,
  values,
  errors,
}: {
  type: ItemType;
  mode: "new" | "existing";
  values: FormValues;
  errors: FieldError[];
}) {
  return (
    <>
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
    </>
  );
}
