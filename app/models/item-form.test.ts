import { describe, expect, it } from "vitest";

import { buildItemMeta } from "../../tests/factories/items";
import { fieldErrorsFrom, fieldNameFor, formValuesFromMeta, itemFormSchema, parseItemForm } from "./item-form";
import { BODY_MAX_LENGTH, type ItemMeta } from "./item-schema";

const RICH: ItemMeta[] = [
  buildItemMeta({
    type: "case-study",
    tags: ["kpis", "social-value"],
    themes: ["downstream", "partnership"],
    review_by: "2027-06-30",
    organisation_type: "nhs-trust",
    nation: "england",
    region: "north-west",
    regime: "psr",
    lifecycle_stages: ["define", "manage"],
    procedure: "psr-competitive",
    contract_category: "services",
    value_band: "5m-20m",
    notices_used: ["UK4", "UK6", "UK9"],
    social_value_weighting: 12.5,
    kpi_rating: "good",
    outcomes: [
      { measure: "Waiting time", baseline: "18 weeks", result: "11 weeks", evidence: "Trust board report" },
      { measure: "Local spend", baseline: "21%", result: "34%", evidence: "Spend analysis" },
    ],
    lessons: ["Agree the data early", "Name an owner for each KPI"],
  }),
  buildItemMeta({
    type: "tip",
    applies_to: { notices: ["UK6"], procedures: ["open", "competitive-flexible"], act_sections: ["s50", "s51"] },
    basis: "official-guidance",
    sources: [{ title: "Guidance", url: "https://www.gov.uk/guidance/standstill" }],
  }),
  buildItemMeta({ type: "data-story", caveats: ["Only 100 releases", "2018 to 2020"] }),
];

describe("the editor form and the item schema", () => {
  it.each(RICH.map((meta) => [meta.type, meta] as const))(
    "represents every field of a %s, so form and file agree",
    (_type, meta) => {
      const values = formValuesFromMeta(meta, "Body text.");
      const parsed = parseItemForm(
        values,
        {
          type: meta.type,
          authors: meta.authors,
          status: meta.status,
          published: meta.published,
          licence: meta.licence,
        },
        BODY_MAX_LENGTH,
      );
      expect(parsed).toEqual({ ok: true, meta, body: "Body text." });
    },
  );

  it("is the item schema behind a preprocessor: a bad value fails the same way a file would", () => {
    const values = { ...formValuesFromMeta(RICH[0]!, ""), social_value_weighting: ["150"], "outcomes[1].result": [""] };
    const result = itemFormSchema({ type: "case-study", authors: RICH[0]!.authors, status: "draft" }).safeParse(values);
    expect(result.success).toBe(false);
    expect(fieldErrorsFrom(result.error!).map((error) => error.field)).toEqual([
      "social_value_weighting",
      "outcomes[1].result",
    ]);
  });

  it("names fields as the form does", () => {
    expect(fieldNameFor(["outcomes", 2, "evidence"])).toBe("outcomes[2].evidence");
    expect(fieldNameFor(["themes", 1])).toBe("themes");
    expect(fieldNameFor(["applies_to", "notices", 0])).toBe("applies_to.notices");
    expect(fieldNameFor(["datasets"])).toBe("datasets");
  });

  it("names each field in its message with the label the editor shows", () => {
    const values = {
      ...formValuesFromMeta(RICH[0]!, ""),
      lessons: ["x".repeat(601)],
      "outcomes[1].measure": [""],
      "outcomes[1].evidence": [""],
    };
    const result = itemFormSchema({ type: "case-study", authors: RICH[0]!.authors, status: "draft" }).safeParse(values);
    const messages = fieldErrorsFrom(result.error!).map((error) => error.message);
    expect(messages).toEqual([
      "Outcome 2, what was measured cannot be empty",
      "Outcome 2, evidence cannot be empty",
      "Lessons learned must be at most 600 characters",
    ]);
  });
});
