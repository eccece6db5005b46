// The controlled lists from DOMAIN.md. Slugs are what files, forms, URLs and the
// database store; labels are what readers see. Safe to import in the browser.

type Vocabulary<K extends string> = Readonly<Record<K, string>>;

function keysOf<K extends string>(vocabulary: Vocabulary<K>) {
  return Object.keys(vocabulary) as [K, ...K[]];
}

export const ITEM_TYPES = {
  "case-study": "Case study",
  tip: "Tip",
  "data-story": "Data story",
} as const;
export type ItemType = keyof typeof ITEM_TYPES;
export const ITEM_TYPE_SLUGS = keysOf(ITEM_TYPES);

export const ITEM_TYPE_PLURALS: Vocabulary<ItemType> = {
  "case-study": "Case studies",
  tip: "Tips",
  "data-story": "Data stories",
};

/** Folder under content/ for each type. */
export const ITEM_TYPE_FOLDERS: Vocabulary<ItemType> = {
  "case-study": "case-studies",
  tip: "tips",
  "data-story": "data-stories",
};

export const THEMES = {
  upstream: "Upstream",
  downstream: "Downstream",
  partnership: "Partnership",
} as const;
export type Theme = keyof typeof THEMES;
export const THEME_SLUGS = keysOf(THEMES);

export const THEME_DESCRIPTIONS: Vocabulary<Theme> = {
  upstream:
    "Intervening early in the systems we want to improve: needs analysis, market shaping, preliminary engagement, co-design and commissioning for outcomes.",
  downstream:
    "The long-term consequences of buying choices for markets, communities and goals such as net zero: contract management, KPIs, social value delivered (not just promised) and exit.",
  partnership:
    "Providers as collaborators: relationships over process, shared learning, alliances, and working with VCSEs and SMEs.",
};

export const ITEM_STATUSES = {
  draft: "Draft",
  published: "Published",
  archived: "Archived",
} as const;
export type ItemStatus = keyof typeof ITEM_STATUSES;
export const ITEM_STATUS_SLUGS = keysOf(ITEM_STATUSES);

export const ORGANISATION_TYPES = {
  "local-authority": "Local authority",
  "combined-authority": "Combined authority",
  "central-government": "Central government department",
  "nhs-trust": "NHS trust",
  "integrated-care-board": "Integrated care board",
  "university-college": "University or college",
  "school-academy-trust": "School or academy trust",
  "housing-association": "Housing association",
  "police-fire": "Police or fire service",
  "devolved-government": "Devolved government",
  "central-purchasing-body": "Central purchasing body",
  vcse: "VCSE organisation",
  supplier: "Supplier",
} as const;
export const ORGANISATION_TYPE_SLUGS = keysOf(ORGANISATION_TYPES);

export const NATIONS = {
  england: "England",
  wales: "Wales",
  scotland: "Scotland",
  northern_ireland: "Northern Ireland",
  uk_wide: "UK-wide",
} as const;
export const NATION_SLUGS = keysOf(NATIONS);

export const ENGLISH_REGIONS = {
  "north-east": "North East",
  "north-west": "North West",
  "yorkshire-and-the-humber": "Yorkshire and the Humber",
  "east-midlands": "East Midlands",
  "west-midlands": "West Midlands",
  "east-of-england": "East of England",
  london: "London",
  "south-east": "South East",
  "south-west": "South West",
} as const;
export const ENGLISH_REGION_SLUGS = keysOf(ENGLISH_REGIONS);

export const REGIMES = {
  pa23: "Procurement Act 2023",
  pcr2015: "Public Contracts Regulations 2015",
  psr: "Provider Selection Regime",
  pcsr2015: "Public Contracts (Scotland) Regulations 2015",
  ucr2016: "Utilities Contracts Regulations 2016",
  ccr2016: "Concession Contracts Regulations 2016",
} as const;
export const REGIME_SLUGS = keysOf(REGIMES);

export const LIFECYCLE_STAGES = {
  plan: "Plan",
  define: "Define",
  procure: "Procure",
  manage: "Manage",
  exit: "Exit",
} as const;
export const LIFECYCLE_STAGE_SLUGS = keysOf(LIFECYCLE_STAGES);

export const PROCEDURES = {
  open: "Open procedure",
  "competitive-flexible": "Competitive flexible procedure",
  "direct-award": "Direct award",
  framework: "Framework call-off",
  "open-framework": "Open framework",
  "dynamic-market": "Dynamic market",
  "below-threshold": "Below-threshold procurement",
  "light-touch": "Light touch contract",
  "pcr-open": "Open procedure (PCR 2015)",
  "pcr-restricted": "Restricted procedure (PCR 2015)",
  "pcr-competitive-dialogue": "Competitive dialogue (PCR 2015)",
  "pcr-competitive-negotiation": "Competitive procedure with negotiation (PCR 2015)",
  "pcr-innovation-partnership": "Innovation partnership (PCR 2015)",
  "pcr-negotiated-without-notice": "Negotiated procedure without prior publication (PCR 2015)",
  "psr-direct-award-a": "PSR direct award process A",
  "psr-direct-award-b": "PSR direct award process B",
  "psr-direct-award-c": "PSR direct award process C",
  "psr-most-suitable-provider": "PSR most suitable provider process",
  "psr-competitive": "PSR competitive process",
  grant: "Grant agreement",
} as const;
export const PROCEDURE_SLUGS = keysOf(PROCEDURES);

export const CONTRACT_CATEGORIES = {
  goods: "Goods",
  services: "Services",
  works: "Works",
  mixed: "Mixed",
} as const;
export const CONTRACT_CATEGORY_SLUGS = keysOf(CONTRACT_CATEGORIES);

export const VALUE_BANDS = {
  "under-12k": "Under £12k",
  "12k-30k": "£12k–£30k",
  "30k-threshold": "£30k–threshold",
  "threshold-2m": "Threshold–£2m",
  "2m-5m": "£2m–£5m",
  "5m-20m": "£5m–£20m",
  "20m-100m": "£20m–£100m",
  "over-100m": "Over £100m",
} as const;
export const VALUE_BAND_SLUGS = keysOf(VALUE_BANDS);

export const NOTICES = {
  UK1: "UK1 Pipeline notice",
  UK2: "UK2 Preliminary market engagement notice",
  UK3: "UK3 Planned procurement notice",
  UK4: "UK4 Tender notice",
  UK5: "UK5 Transparency notice",
  UK6: "UK6 Contract award notice",
  UK7: "UK7 Contract details notice",
  UK8: "UK8 Payments compliance notice",
  UK9: "UK9 Contract performance notice",
  UK10: "UK10 Contract change notice",
  UK11: "UK11 Contract termination notice",
  UK12: "UK12 Procurement termination notice",
  UK13: "UK13 Dynamic market intention notice",
  UK14: "UK14 Dynamic market establishment notice",
  UK15: "UK15 Dynamic market modification notice",
  UK16: "UK16 Dynamic market cessation notice",
  UK17: "UK17 Contract payments notice",
} as const;
export const NOTICE_CODES = keysOf(NOTICES);

export const KPI_RATINGS = {
  good: "Good",
  "approaching-target": "Approaching target",
  "requires-improvement": "Requires improvement",
  inadequate: "Inadequate",
  other: "Other",
} as const;
export const KPI_RATING_SLUGS = keysOf(KPI_RATINGS);

export const TIP_BASES = {
  "practitioner-experience": "Practitioner experience",
  "official-guidance": "Official guidance",
  "data-analysis": "Data analysis",
} as const;
export const TIP_BASIS_SLUGS = keysOf(TIP_BASES);

export const LICENCES = {
  "CC-BY-4.0": "Creative Commons Attribution 4.0",
  "CC-BY-SA-4.0": "Creative Commons Attribution-ShareAlike 4.0",
  "CC0-1.0": "CC0 1.0 (public domain dedication)",
  "OGL-UK-3.0": "Open Government Licence v3.0",
} as const;
export type Licence = keyof typeof LICENCES;
export const LICENCE_SLUGS = keysOf(LICENCES);

export const LICENCE_URLS: Vocabulary<Licence> = {
  "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
  "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "OGL-UK-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
};

/** Looks up a label, falling back to the slug for values outside the list. */
export function labelFor<K extends string>(vocabulary: Vocabulary<K>, slug: string) {
  return (vocabulary as Record<string, string>)[slug] ?? slug;
}

export function isOneOf<K extends string>(vocabulary: Vocabulary<K>, value: unknown): value is K {
  return typeof value === "string" && Object.hasOwn(vocabulary, value);
}

/** Which side of the table a member sits on: shown beside their name wherever they write. */
export const SIDES = {
  buyer: "Buyer or commissioner",
  supplier: "Supplier",
  adviser: "Adviser",
  researcher: "Researcher",
  other: "Other",
} as const;
export const SIDE_SLUGS = keysOf(SIDES);
