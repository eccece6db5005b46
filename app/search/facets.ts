// Facet names and their URL parameters: shared by the engine, the server and the browser.

export const FACET_NAMES = ["kind", "type", "theme", "tag", "organisationType", "procedure", "valueBand"] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export type SearchFilters = Partial<Record<FacetName, string>>;
export type FacetCount = { value: string; count: number };
export type SearchSort = "relevance" | "newest";

/** URL parameter for each facet: short, readable and stable, since people share these links. */
export const FACET_PARAMS: Record<FacetName, string> = {
  kind: "kind",
  type: "type",
  theme: "theme",
  tag: "tag",
  organisationType: "organisation",
  procedure: "procedure",
  valueBand: "value",
};

export const RESULTS_PER_PAGE = 20;
