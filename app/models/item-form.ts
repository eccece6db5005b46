import { z } from "zod";

import { type Author, type ItemMeta, ItemMetaSchema } from "./item-schema";
import type { ItemStatus, ItemType } from "./vocabulary";

// The editor's form is read by a Zod preprocessor that turns form fields into the very
// metadata object a content file's front matter holds, then validated by ItemMetaSchema.
// Safe to import in the browser: the editor uses the same field names and labels.

/** Every text entry of a submitted form by name, in order (files are left out). */
export type FormValues = Record<string, string[]>;

const OUTCOME_COLUMNS = ["measure", "baseline", "result", "evidence"] as const;
const SOURCE_COLUMNS = ["title", "url"] as const;
const DATASET_COLUMNS = ["title", "publisher", "source_url", "licence", "attribution"] as const;

/** Repeated groups of inputs ("rows") and their columns, by field name. */
export const ROW_FIELDS = {
  outcomes: OUTCOME_COLUMNS,
  sources: SOURCE_COLUMNS,
  datasets: DATASET_COLUMNS,
} as const;
export type RowField = keyof typeof ROW_FIELDS;

// The one label map of the item form. The editor labels its fields with these, the error summary
// and each field's message name the field with them (GOV.UK: a message uses the label's words),
// and the item page's panel names the same facts the same way.

/** Each field's label, by name; the editor says "(optional)" after those that may be left empty. */
export const ITEM_FIELD_LABELS = {
  title: "Title",
  summary: "Summary",
  themes: "Themes",
  tags: "Tags",
  body: "Body",
  image: "Image file",
  image_alt: "Alt text",
  image_caption: "Caption",
  review_by: "Review by",
  note: "Note about this change",
  organisation_type: "Organisation type",
  nation: "Nation",
  region: "English region",
  regime: "Regime",
  lifecycle_stages: "Lifecycle stages",
  procedure: "Procedure",
  contract_category: "Contract category",
  value_band: "Value band",
  notices_used: "Notices used",
  social_value_weighting: "Social value weighting",
  kpi_rating: "KPI rating",
  outcomes: "Outcomes",
  lessons: "Lessons learned",
  "applies_to.notices": "Applies to notices",
  "applies_to.procedures": "Applies to procedures",
  "applies_to.act_sections": "Applies to Act sections",
  basis: "Basis",
  sources: "Sources",
  datasets: "Datasets",
  method: "Method",
  caveats: "Caveats",
} as const satisfies Record<string, string> & Record<RowField, string>;
export type ItemFieldName = keyof typeof ITEM_FIELD_LABELS;

/** What one row of a repeated group is called, and the label of each of its columns. */
export const ROW_LABELS: {
  [Field in RowField]: { singular: string; columns: Record<(typeof ROW_FIELDS)[Field][number], string> };
} = {
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

export const first = (values: FormValues, name: string) => values[name]?.[0] ?? "";

const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
const nonEmpty = (values: string[] | undefined) => (values ?? []).filter((value) => value.trim() !== "");
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");

/** How many rows of a repeated group the form holds (at least one, so there is always a blank row). */
export function rowCount(values: FormValues, field: RowField) {
  let count = 0;
  const pattern = new RegExp(`^${field}\\[(\\d+)\\]\\.`);
  for (const name of Object.keys(values)) {
    const match = pattern.exec(name);
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  return Math.min(count, 50);
}

/** The non-blank rows of a repeated group, as objects with one key per column. */
function rowsOf(values: FormValues, field: RowField) {
  const rows: Record<string, string>[] = [];
  for (let index = 0; index < rowCount(values, field); index += 1) {
    const row: Record<string, string> = {};
    for (const column of ROW_FIELDS[field]) row[column] = first(values, `${field}[${index}].${column}`).trim();
    if (Object.values(row).some((cell) => cell !== "")) rows.push(row);
  }
  return rows;
}

function weighting(value: string) {
  const trimmed = value.trim().replace(/%$/, "");
  if (trimmed === "") return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

export type FormContext = {
  type: ItemType;
  authors: Author[];
  status: ItemStatus;
  published?: string;
  licence?: string;
};

/** Turns the editor's fields into front-matter-shaped metadata (unvalidated). */
function metaInputFromForm(values: FormValues, context: FormContext): Record<string, unknown> {
  const text = (name: string) => first(values, name);
  const base = {
    type: context.type,
    title: text("title").trim(),
    summary: text("summary").trim(),
    themes: nonEmpty(values.themes),
    tags: text("tags")
      .split(/[,\n]/)
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ""),
    authors: context.authors,
    status: context.status,
    published: context.published,
    review_by: optional(text("review_by")),
    licence: context.licence,
  };
  if (context.type === "case-study") {
    return {
      ...base,
      organisation_type: optional(text("organisation_type")),
      nation: optional(text("nation")),
      region: optional(text("region")),
      regime: optional(text("regime")),
      lifecycle_stages: nonEmpty(values.lifecycle_stages),
      procedure: optional(text("procedure")),
      contract_category: optional(text("contract_category")),
      value_band: optional(text("value_band")),
      notices_used: nonEmpty(values.notices_used),
      social_value_weighting: weighting(text("social_value_weighting")),
      kpi_rating: optional(text("kpi_rating")),
      outcomes: rowsOf(values, "outcomes"),
      lessons: lines(text("lessons")),
    };
  }
  if (context.type === "tip") {
    return {
      ...base,
      applies_to: {
        notices: nonEmpty(values["applies_to.notices"]),
        procedures: nonEmpty(values["applies_to.procedures"]),
        act_sections: lines(text("applies_to.act_sections")),
      },
      basis: optional(text("basis")),
      sources: rowsOf(values, "sources"),
    };
  }
  return {
    ...base,
    datasets: rowsOf(values, "datasets"),
    method: text("method").trim(),
    caveats: lines(text("caveats")),
  };
}

/** The editor form's schema: form fields in, validated ItemMeta out. */
export function itemFormSchema(context: FormContext) {
  return z.preprocess((values) => metaInputFromForm(values as FormValues, context), ItemMetaSchema);
}

/** The form's fields for existing metadata: the inverse of metaInputFromForm. */
export function formValuesFromMeta(meta: ItemMeta, body: string): FormValues {
  const values: FormValues = {
    title: [meta.title],
    summary: [meta.summary],
    themes: [...meta.themes],
    tags: [meta.tags.join(", ")],
    body: [body],
    review_by: meta.review_by ? [meta.review_by] : [],
  };
  const setRows = (field: RowField, rows: Record<string, string | number | undefined>[]) => {
    rows.forEach((row, index) => {
      for (const column of ROW_FIELDS[field]) {
        const cell = row[column];
        values[`${field}[${index}].${column}`] = [cell === undefined ? "" : String(cell)];
      }
    });
  };
  if (meta.type === "case-study") {
    const single = {
      organisation_type: meta.organisation_type,
      nation: meta.nation,
      region: meta.region,
      regime: meta.regime,
      procedure: meta.procedure,
      contract_category: meta.contract_category,
      value_band: meta.value_band,
      social_value_weighting: meta.social_value_weighting,
      kpi_rating: meta.kpi_rating,
    };
    for (const [name, value] of Object.entries(single)) if (value !== undefined) values[name] = [String(value)];
    values.lifecycle_stages = [...meta.lifecycle_stages];
    values.notices_used = [...meta.notices_used];
    values.lessons = [meta.lessons.join("\n")];
    setRows("outcomes", meta.outcomes);
  } else if (meta.type === "tip") {
    values["applies_to.notices"] = [...meta.applies_to.notices];
    values["applies_to.procedures"] = [...meta.applies_to.procedures];
    values["applies_to.act_sections"] = [meta.applies_to.act_sections.join("\n")];
    values.basis = [meta.basis];
    setRows("sources", meta.sources);
  } else {
    setRows("datasets", meta.datasets);
    values.method = [meta.method];
    values.caveats = [meta.caveats.join("\n")];
  }
  return values;
}

const COLLAPSED_LIST_FIELDS = new Set([
  "themes",
  "tags",
  "lifecycle_stages",
  "notices_used",
  "lessons",
  "caveats",
  "applies_to.notices",
  "applies_to.procedures",
  "applies_to.act_sections",
]);

/** The form field an issue path points at: `outcomes[0].measure`, `themes`, `applies_to.notices`. */
export function fieldNameFor(path: PropertyKey[]): string {
  let name = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      if (COLLAPSED_LIST_FIELDS.has(name)) break;
      name += `[${segment}]`;
    } else {
      name += name === "" ? String(segment) : `.${String(segment)}`;
    }
  }
  return name || "title";
}

/** An element id for a field name, safe in a URL fragment. */
export function fieldId(name: string) {
  return `field-${name.replace(/[[\].]+/g, "-").replace(/-$/, "")}`;
}

export type FieldError = { field: string; message: string };

const isRowField = (name: string): name is RowField => Object.hasOwn(ROW_FIELDS, name);

/** How a message names a field: by its label, and a row's cell as "Outcome 2, baseline". */
function labelFor(field: string) {
  const [, group = "", index, column = ""] = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(field) ?? [];
  if (isRowField(group)) {
    const { singular, columns } = ROW_LABELS[group];
    const label = (columns as Record<string, string>)[column] ?? column;
    return `${singular} ${Number(index) + 1}, ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  }
  return (ITEM_FIELD_LABELS as Record<string, string>)[field] ?? field;
}

function describe(label: string, issue: z.core.$ZodIssue) {
  if (issue.code === "too_big" && issue.origin === "string")
    return `${label} must be at most ${String(issue.maximum)} characters`;
  if (issue.code === "too_small" && issue.origin === "string") return `${label} cannot be empty`;
  if (issue.code === "invalid_value") return `${label}: choose from the options given`;
  if (issue.code === "invalid_type" && issue.input === undefined) return `${label} is required`;
  if (issue.code === "unrecognized_keys") return `${label} has fields we do not know: ${issue.keys.join(", ")}`;
  return `${label}: ${issue.message}`;
}

/** One message per field, each naming the field, in form order. */
export function fieldErrorsFrom(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = fieldNameFor(issue.path);
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: describe(labelFor(field), issue) });
  }
  return errors;
}

export type ParsedItemForm = { ok: true; meta: ItemMeta; body: string } | { ok: false; errors: FieldError[] };

/** Validates the editor's fields and body with the one item schema. */
export function parseItemForm(values: FormValues, context: FormContext, bodyMaxLength: number): ParsedItemForm {
  const result = itemFormSchema(context).safeParse(values);
  const body = first(values, "body");
  const errors = result.success ? [] : fieldErrorsFrom(result.error);
  if (body.length > bodyMaxLength) {
    errors.push({
      field: "body",
      message: `Body must be at most ${bodyMaxLength.toLocaleString("en-GB")} characters (it is ${body.length.toLocaleString("en-GB")}); split it into more than one item`,
    });
  }
  if (!result.success || errors.length > 0) return { ok: false, errors };
  return { ok: true, meta: result.data, body };
}
