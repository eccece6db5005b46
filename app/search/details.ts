import { StructuredFieldsSchema } from "~/models/item-schema";
import {
  CONTRACT_CATEGORIES,
  ENGLISH_REGIONS,
  KPI_RATINGS,
  labelFor,
  LIFECYCLE_STAGES,
  NATIONS,
  NOTICES,
  ORGANISATION_TYPES,
  PROCEDURES,
  REGIMES,
  TIP_BASES,
  VALUE_BANDS,
} from "~/models/vocabulary";
import { readStoredJson } from "~/utils/stored-json";

import type { DetailLine } from "./snippet";

// An item's structured fields as the labelled lines its page shows ("Procedure: Competitive
// flexible procedure"), so that a result found by one of them can show which one.

/** Labelled lines of an item's stored fields (JSON) and tags; none for JSON that does not parse. */
export function detailLinesOf(fieldsJson: string, tags: readonly string[]): DetailLine[] {
  const lines: DetailLine[] = [];
  const add = (label: string, value: string | undefined | null) => {
    if (value) lines.push({ label, value });
  };
  const fields = readStoredJson(StructuredFieldsSchema, fieldsJson);
  if (fields) {
    switch (fields.type) {
      case "case-study":
        add("Organisation type", labelFor(ORGANISATION_TYPES, fields.organisation_type));
        add(
          "Where",
          [labelFor(NATIONS, fields.nation), fields.region ? labelFor(ENGLISH_REGIONS, fields.region) : null]
            .filter(Boolean)
            .join(", "),
        );
        add("Regime", labelFor(REGIMES, fields.regime));
        add("Lifecycle stages", fields.lifecycle_stages.map((stage) => labelFor(LIFECYCLE_STAGES, stage)).join(", "));
        add("Procedure", fields.procedure && labelFor(PROCEDURES, fields.procedure));
        add("Contract category", fields.contract_category && labelFor(CONTRACT_CATEGORIES, fields.contract_category));
        add("Value band", fields.value_band && labelFor(VALUE_BANDS, fields.value_band));
        add("Notices used", fields.notices_used.map((notice) => labelFor(NOTICES, notice)).join("; "));
        if (fields.social_value_weighting !== undefined) {
          add("Social value weighting", `${fields.social_value_weighting}%`);
        }
        add("KPI rating", fields.kpi_rating && labelFor(KPI_RATINGS, fields.kpi_rating));
        for (const outcome of fields.outcomes) {
          add("Outcome", `${outcome.measure}: ${outcome.baseline} to ${outcome.result} (${outcome.evidence})`);
        }
        for (const lesson of fields.lessons) add("Lesson", lesson);
        break;
      case "tip":
        add("Notices", fields.applies_to.notices.map((notice) => labelFor(NOTICES, notice)).join("; "));
        add("Procedures", fields.applies_to.procedures.map((procedure) => labelFor(PROCEDURES, procedure)).join("; "));
        add("Procurement Act 2023", fields.applies_to.act_sections.join(", "));
        add("Based on", labelFor(TIP_BASES, fields.basis));
        add("Sources", fields.sources.map((source) => source.title).join("; "));
        break;
      case "data-story":
        for (const dataset of fields.datasets) {
          add(
            "Dataset",
            `${dataset.title}, published by ${dataset.publisher} (${dataset.licence}). ${dataset.attribution}`,
          );
        }
        add("Method", fields.method);
        for (const caveat of fields.caveats) add("Caveat", caveat);
        break;
    }
  }
  add("Tags", tags.join(", "));
  return lines;
}
