import { z } from "zod";

import {
  CONTRACT_CATEGORY_SLUGS,
  ENGLISH_REGION_SLUGS,
  ITEM_STATUS_SLUGS,
  KPI_RATING_SLUGS,
  LICENCE_SLUGS,
  LIFECYCLE_STAGE_SLUGS,
  NATION_SLUGS,
  NOTICE_CODES,
  ORGANISATION_TYPE_SLUGS,
  PROCEDURE_SLUGS,
  REGIME_SLUGS,
  THEME_SLUGS,
  TIP_BASIS_SLUGS,
  VALUE_BAND_SLUGS,
} from "./vocabulary";

// One schema for an item's metadata, shared by content/ front matter and the editor's
// forms, so a file and a form can never disagree about what is valid.

export const SUMMARY_MAX_LENGTH = 280;
const TITLE_MAX_LENGTH = 160;
export const BODY_MAX_LENGTH = 200_000;

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const SlugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(SLUG_PATTERN, "use lower-case letters, digits and single hyphens, like my-case-study");

const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(40, "a tag can be at most 40 characters")
  .regex(SLUG_PATTERN, "tags use lower-case letters, digits and hyphens, like social-value");

export const IsoDateSchema = z.iso.date("use a date written as YYYY-MM-DD");

const text = (max: number) => z.string().trim().min(1, "this cannot be empty").max(max);

const AuthorSchema = z.strictObject({
  name: text(100),
  organisation: text(160).optional(),
  role: text(120).optional(),
});

const SourceSchema = z.strictObject({
  title: text(200),
  url: z.url({ protocol: /^https?$/, error: "use a full web address starting https://" }),
});

const BaseFieldsSchema = z.strictObject({
  title: text(TITLE_MAX_LENGTH),
  summary: text(SUMMARY_MAX_LENGTH),
  themes: z
    .array(z.enum(THEME_SLUGS))
    .min(1, "choose at least one theme: upstream, downstream or partnership")
    .transform((themes) => [...new Set(themes)]),
  tags: z
    .array(TagSchema)
    .max(12, "use at most 12 tags")
    .default([])
    .transform((tags) => [...new Set(tags)]),
  authors: z.array(AuthorSchema).min(1, "name at least one author").max(10),
  status: z.enum(ITEM_STATUS_SLUGS).default("published"),
  published: IsoDateSchema.optional(),
  updated: IsoDateSchema.optional(),
  review_by: IsoDateSchema.optional(),
  licence: z.enum(LICENCE_SLUGS).default("CC-BY-4.0"),
});

const OutcomeSchema = z.strictObject({
  measure: text(200),
  baseline: text(200),
  result: text(200),
  evidence: text(400),
});

const CaseStudyFieldsSchema = z.strictObject({
  organisation_type: z.enum(ORGANISATION_TYPE_SLUGS),
  nation: z.enum(NATION_SLUGS),
  region: z.enum(ENGLISH_REGION_SLUGS).optional(),
  regime: z.enum(REGIME_SLUGS),
  lifecycle_stages: z.array(z.enum(LIFECYCLE_STAGE_SLUGS)).min(1, "choose at least one lifecycle stage"),
  procedure: z.enum(PROCEDURE_SLUGS).optional(),
  contract_category: z.enum(CONTRACT_CATEGORY_SLUGS).optional(),
  value_band: z.enum(VALUE_BAND_SLUGS).optional(),
  notices_used: z.array(z.enum(NOTICE_CODES)).default([]),
  social_value_weighting: z.number("give the weighting as a number of per cent, like 10").min(0).max(100).optional(),
  kpi_rating: z.enum(KPI_RATING_SLUGS).optional(),
  outcomes: z.array(OutcomeSchema).default([]),
  lessons: z.array(text(600)).default([]),
});

const TipFieldsSchema = z.strictObject({
  applies_to: z
    .strictObject({
      notices: z.array(z.enum(NOTICE_CODES)).default([]),
      procedures: z.array(z.enum(PROCEDURE_SLUGS)).default([]),
      act_sections: z.array(text(80)).default([]),
    })
    .default({ notices: [], procedures: [], act_sections: [] }),
  basis: z.enum(TIP_BASIS_SLUGS),
  sources: z.array(SourceSchema).default([]),
});

export const DatasetReferenceSchema = z.strictObject({
  title: text(200),
  publisher: text(200),
  source_url: z.url({ protocol: /^https?$/, error: "use a full web address starting https://" }),
  licence: text(200),
  attribution: text(400),
  file: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "name a file in content/data, like spend.csv")
    .optional(),
});

const DataStoryFieldsSchema = z.strictObject({
  datasets: z.array(DatasetReferenceSchema).min(1, "list at least one dataset"),
  method: text(4000),
  caveats: z.array(text(600)).default([]),
});

/** Front matter of a content file; also the editor's metadata. */
export const ItemMetaSchema = z.discriminatedUnion("type", [
  BaseFieldsSchema.extend({ type: z.literal("case-study"), ...CaseStudyFieldsSchema.shape }),
  BaseFieldsSchema.extend({ type: z.literal("tip"), ...TipFieldsSchema.shape }),
  BaseFieldsSchema.extend({ type: z.literal("data-story"), ...DataStoryFieldsSchema.shape }),
]);

export type ItemMeta = z.infer<typeof ItemMetaSchema>;
export type ItemMetaInput = z.input<typeof ItemMetaSchema>;
export type CaseStudyFields = z.infer<typeof CaseStudyFieldsSchema>;
export type TipFields = z.infer<typeof TipFieldsSchema>;
export type DataStoryFields = z.infer<typeof DataStoryFieldsSchema>;
export type Author = z.infer<typeof AuthorSchema>;

/** The type-specific part of an item's metadata, as stored with its row (`fields_json`). */
export const StructuredFieldsSchema = z.discriminatedUnion("type", [
  CaseStudyFieldsSchema.extend({ type: z.literal("case-study") }),
  TipFieldsSchema.extend({ type: z.literal("tip") }),
  DataStoryFieldsSchema.extend({ type: z.literal("data-story") }),
]);

export type StructuredFields = z.infer<typeof StructuredFieldsSchema>;

const BASE_KEYS = new Set([...Object.keys(BaseFieldsSchema.shape), "type"]);

/** The type-specific part of validated metadata, kept as JSON with the row. */
export function structuredFieldsOf(meta: ItemMeta): StructuredFields {
  const entries = Object.entries(meta).filter(([key]) => !BASE_KEYS.has(key) || key === "type");
  return Object.fromEntries(entries) as StructuredFields;
}
