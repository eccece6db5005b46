import {
  type FieldError,
  fieldId,
  first,
  type FormValues,
  ITEM_FIELD_LABELS,
  type ItemFieldName,
  ROW_FIELDS,
  ROW_LABELS,
  type RowField,
  rowCount,
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

import {
  CharacterCountField,
  CheckboxesField,
  Field,
  FieldGroup,
  Fieldset,
  FileField,
  SelectField,
  TextareaField,
} from "../form-fields";

type Options = Readonly<Record<string, string>>;

/** What the form holds: the text sent (or saved) by field name, and a message for each field with a problem. */
type EditorForm = { values: FormValues; errors: FieldError[] };

/** The kit's props for one input of the item form: its id (names hold brackets and dots), what it holds, its message. */
function bound({ values, errors }: EditorForm, name: string, label: string) {
  return {
    name,
    id: fieldId(name),
    label,
    defaultValue: first(values, name),
    error: errors.find((error) => error.field === name)?.message,
  };
}

/** The kit's props for one of the item's fields, labelled from the one label map. */
const fieldProps = (form: EditorForm, name: ItemFieldName) => bound(form, name, ITEM_FIELD_LABELS[name]);

function Choose({
  form,
  name,
  options,
  isRequired = false,
}: {
  form: EditorForm;
  name: ItemFieldName;
  options: Options;
  isRequired?: boolean;
}) {
  return (
    <SelectField
      {...fieldProps(form, name)}
      options={options}
      optional={!isRequired}
      emptyLabel={isRequired ? "Choose one" : "Not given"}
    />
  );
}

function Checkboxes({
  form,
  name,
  hint,
  options,
  optional = false,
}: {
  form: EditorForm;
  name: ItemFieldName;
  hint?: string;
  options: Options;
  optional?: boolean;
}) {
  const { id, label, error } = fieldProps(form, name);
  return (
    <CheckboxesField
      name={name}
      id={id}
      legend={label}
      hint={hint}
      error={error}
      optional={optional}
      options={options}
      defaultValues={form.values[name] ?? []}
    />
  );
}

function RowsField({
  form,
  field,
  hint,
  optional = false,
}: {
  form: EditorForm;
  field: RowField;
  hint?: string;
  optional?: boolean;
}) {
  const count = Math.max(rowCount(form.values, field), 1);
  const { singular } = ROW_LABELS[field];
  const columns: Readonly<Record<string, string>> = ROW_LABELS[field].columns;
  const { id, label, error } = fieldProps(form, field);
  return (
    // The group has the id: a message about the rows as a whole is fixed in no one cell.
    <FieldGroup id={id} isLinkTarget legend={label} hint={hint} error={error} optional={optional} className="rows">
      {Array.from({ length: count }, (_, index) => (
        <fieldset className="row" key={index}>
          <legend>
            {singular} {index + 1}
          </legend>
          {ROW_FIELDS[field].map((column: string) => (
            <Field
              key={column}
              {...bound(form, `${field}[${index}].${column}`, columns[column] ?? column)}
              type={column.endsWith("url") ? "url" : "text"}
            />
          ))}
          <button
            type="submit"
            name="intent"
            value={`remove-row:${field}:${index}`}
            className="button button--secondary button--small"
          >
            Remove {singular.toLowerCase()} {index + 1}
          </button>
        </fieldset>
      ))}
      <button type="submit" name="intent" value={`add-row:${field}`} className="button button--secondary">
        Add another {singular.toLowerCase()}
      </button>
    </FieldGroup>
  );
}

function CaseStudyFields({ form }: { form: EditorForm }) {
  return (
    <Fieldset legend="About the case" className="editor__group">
      <Choose form={form} name="organisation_type" options={ORGANISATION_TYPES} isRequired />
      <Choose form={form} name="nation" options={NATIONS} isRequired />
      <Choose form={form} name="region" options={ENGLISH_REGIONS} />
      <Choose form={form} name="regime" options={REGIMES} isRequired />
      <Checkboxes form={form} name="lifecycle_stages" options={LIFECYCLE_STAGES} />
      <Choose form={form} name="procedure" options={PROCEDURES} />
      <Choose form={form} name="contract_category" options={CONTRACT_CATEGORIES} />
      <Choose form={form} name="value_band" options={VALUE_BANDS} />
      <Checkboxes form={form} name="notices_used" options={NOTICES} optional />
      <Field
        {...fieldProps(form, "social_value_weighting")}
        optional
        hint="A percentage from 0 to 100, like 10"
        inputMode="decimal"
      />
      <Choose form={form} name="kpi_rating" options={KPI_RATINGS} />
      <RowsField
        form={form}
        field="outcomes"
        optional
        hint="What changed: the measure, where it started, where it got to, and how you know."
      />
      <TextareaField {...fieldProps(form, "lessons")} optional hint="One lesson per line" rows={4} />
    </Fieldset>
  );
}

function TipFields({ form }: { form: EditorForm }) {
  return (
    <Fieldset legend="About the tip" className="editor__group">
      <Choose form={form} name="basis" options={TIP_BASES} isRequired />
      <Checkboxes form={form} name="applies_to.notices" options={NOTICES} optional />
      <Checkboxes form={form} name="applies_to.procedures" options={PROCEDURES} optional />
      <TextareaField
        {...fieldProps(form, "applies_to.act_sections")}
        optional
        hint="One per line, like s12 or Schedule 5"
        rows={3}
      />
      <RowsField form={form} field="sources" optional />
    </Fieldset>
  );
}

function DataStoryFields({ form }: { form: EditorForm }) {
  return (
    <Fieldset legend="About the data" className="editor__group">
      <RowsField
        form={form}
        field="datasets"
        hint="Every dataset you used, with the attribution its licence asks for."
      />
      <TextareaField {...fieldProps(form, "method")} hint="How you got from the data to the answer" rows={5} />
      <TextareaField {...fieldProps(form, "caveats")} optional hint="One per line" rows={3} />
    </Fieldset>
  );
}

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
  const form = { values, errors };
  return (
    <>
      <Field {...fieldProps(form, "title")} />
      <CharacterCountField
        {...fieldProps(form, "summary")}
        hint={`What will the reader learn? Shown in lists and search results. At most ${SUMMARY_MAX_LENGTH} characters.`}
        limit={SUMMARY_MAX_LENGTH}
        rows={3}
      />
      <Checkboxes form={form} name="themes" hint="Choose at least one." options={THEMES} />
      <Field {...fieldProps(form, "tags")} optional hint="Separate tags with commas, like social-value, kpis, uk9" />
      {type === "case-study" ? <CaseStudyFields form={form} /> : null}
      {type === "tip" ? <TipFields form={form} /> : null}
      {type === "data-story" ? <DataStoryFields form={form} /> : null}
      <TextareaField
        {...fieldProps(form, "body")}
        hint="Markdown: ## for headings, * for lists, [text](https://...) for links. HTML is shown as text."
        rows={18}
      />
      <Fieldset
        legend="Add an image"
        optional
        hint="PNG, JPEG or WebP, smaller than 5 MB. It is added at the end of the body."
        className="field editor__image"
      >
        <FileField {...fieldProps(form, "image")} accept="image/png,image/jpeg,image/webp" />
        <Field {...fieldProps(form, "image_alt")} hint="Describe what the image shows for people who cannot see it." />
        <Field {...fieldProps(form, "image_caption")} optional />
        <button type="submit" name="intent" value="upload-image" className="button button--secondary">
          Upload image
        </button>
      </Fieldset>
      <Field
        {...fieldProps(form, "review_by")}
        optional
        hint="When should you check this is still right? For example 2027-03-31."
        type="date"
      />
      {mode === "existing" ? (
        <Field {...fieldProps(form, "note")} optional hint="Shown in the item's history." />
      ) : null}
    </>
  );
}
