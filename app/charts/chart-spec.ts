import { z } from "zod";

import { UNITS } from "./format";

const CHART_KINDS = ["bar", "column", "line", "stacked-bar"] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

const CHART_GROUPS = ["year", "financial-year", "month"] as const;

const name = z.string().trim().min(1, "cannot be empty").max(200);

/** What a ```chart block may say, written as YAML. */
export const ChartSpecSchema = z
  .strictObject({
    kind: z.preprocess(
      (value) =>
        typeof value === "string"
          ? value
              .trim()
              .toLowerCase()
              .replace(/[\s_]+/g, "-")
          : value,
      z.enum(CHART_KINDS, { error: "must be one of bar, column, line or stacked-bar" }),
    ),
    title: name,
    description: z.string().trim().max(1000).optional(),
    dataset: name.optional(),
    table: name.optional(),
    csv: z.string().max(20_000, "inline CSV can be at most 20,000 characters: attach a dataset instead").optional(),
    label: name,
    values: z
      .union([name, z.array(name).min(1, "name at least one column").max(6, "a chart can show at most 6 series")])
      .transform((value) => (Array.isArray(value) ? value : [value])),
    units: z.preprocess(
      (value) => (value === "£" || value === "GBP" || value === "pounds" ? "gbp" : value === "%" ? "percent" : value),
      z.enum(UNITS, { error: "must be one of gbp, count, percent or number" }).default("number"),
    ),
    sort: z
      .enum(["none", "ascending", "descending", "label"], { error: "must be none, ascending, descending or label" })
      .default("none"),
    limit: z
      .number("must be a whole number, like 10")
      .int("must be a whole number, like 10")
      .min(1)
      .max(500)
      .optional(),
    group: z.enum(CHART_GROUPS, { error: "must be year, financial-year or month" }).optional(),
    "zero-means-missing": z.boolean().default(false),
    note: z.string().trim().max(600).optional(),
  })
  .superRefine((spec, context) => {
    if ((spec.dataset === undefined) === (spec.csv === undefined)) {
      context.addIssue({
        code: "custom",
        path: ["dataset"],
        message:
          "give either dataset: (a file attached to this story) or csv: (a few lines of CSV), not both or neither",
      });
    }
    if (spec.table !== undefined && spec.dataset === undefined) {
      context.addIssue({
        code: "custom",
        path: ["table"],
        message: "a computed table needs a dataset: naming an OCDS file",
      });
    }
  });

export type ChartSpec = z.infer<typeof ChartSpecSchema>;
