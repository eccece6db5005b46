import { decodeHTML } from "entities";
import { type ParseError, parse as parseTolerantJson, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";

import { type DataTable, DataProblem } from "~/datasets/data-table";

import { CPV_DIVISIONS } from "./cpv-divisions";

// Only the parts of OCDS 1.1 we read; everything else passes through untouched.
const ValueSchema = z.looseObject({ amount: z.number().nullish(), currency: z.string().nullish() }).nullish();
const OrganizationReferenceSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  name: z.string().nullish(),
});
const PartySchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  name: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  sme: z.boolean().nullish(),
  vco: z.boolean().nullish(),
  details: z.looseObject({ scale: z.string().nullish() }).nullish(),
});
const ClassificationSchema = z
  .looseObject({ scheme: z.string().nullish(), id: z.union([z.string(), z.number()]).nullish() })
  .nullish();
const ReleaseSchema = z.looseObject({
  ocid: z.string({ error: "has no ocid (the open contracting id every release needs)" }).min(1),
  id: z.union([z.string(), z.number()]).nullish(),
  date: z.string().nullish(),
  tag: z.array(z.string()).nullish(),
  buyer: OrganizationReferenceSchema.nullish(),
  parties: z.array(PartySchema).nullish(),
  planning: z.looseObject({ budget: z.looseObject({ amount: ValueSchema }).nullish() }).nullish(),
  tender: z
    .looseObject({
      value: ValueSchema,
      items: z.array(z.looseObject({ classification: ClassificationSchema })).nullish(),
    })
    .nullish(),
  awards: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]).nullish(),
        date: z.string().nullish(),
        value: ValueSchema,
        suppliers: z.array(OrganizationReferenceSchema).nullish(),
      }),
    )
    .nullish(),
  contracts: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]).nullish(),
        value: ValueSchema,
        implementation: z
          .looseObject({ transactions: z.array(z.looseObject({ value: ValueSchema, amount: ValueSchema })).nullish() })
          .nullish(),
      }),
    )
    .nullish(),
});
type OcdsRelease = z.infer<typeof ReleaseSchema>;

export type OcdsPackage = {
  kind: "release package" | "record package";
  releases: OcdsRelease[];
  /** One compiled view per process: the latest release of each ocid, or a record's compiledRelease. */
  compiled: OcdsRelease[];
};

const CONTACT_KEYS = new Set(["contactPoint", "additionalContactPoints"]);

/** Removes contact points (people's names, emails, phone numbers) wherever they appear. */
export function stripContactPoints(value: unknown): number {
  let removed = 0;
  if (Array.isArray(value)) {
    for (const entry of value) removed += stripContactPoints(entry);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (CONTACT_KEYS.has(key)) {
        delete record[key];
        removed += 1;
      } else {
        removed += stripContactPoints(record[key]);
      }
    }
  }
  return removed;
}

/** Where and why JSON.parse gave up, as "line 3, column 14: value expected". */
function describeJsonError(text: string) {
  const errors: ParseError[] = [];
  parseTolerantJson(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return "it could not be read";
  const before = text.slice(0, first.offset);
  const line = before.split("\n").length;
  const column = first.offset - before.lastIndexOf("\n");
  const reason = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return `line ${line}, column ${column}: ${reason}`;
}

/** Parses JSON text that should be an OCDS release or record package. */
export function readOcdsJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new DataProblem(`${name} is not valid JSON at ${describeJsonError(text)}.`);
  }
}

/** Checks that parsed JSON is an OCDS release or record package and reads the parts we use. */
export function toOcdsPackage(json: unknown, name: string): OcdsPackage {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataProblem(
      `${name} is JSON but not an OCDS package: expected an object with a "releases" or "records" list.`,
    );
  }
  const data = json as Record<string, unknown>;
  const parseReleases = (list: unknown[], where: string) =>
    list.map((entry, index) => {
      const result = ReleaseSchema.safeParse(entry);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        const field = issue.path.length > 0 ? `.${issue.path.join(".")}` : "";
        throw new DataProblem(`${name}: ${where}[${index}]${field} ${issue.message}.`);
      }
      return result.data;
    });

  if (Array.isArray(data.releases)) {
    const releases = parseReleases(data.releases, "releases");
    if (releases.length === 0) throw new DataProblem(`${name} is an OCDS release package with no releases.`);
    return { kind: "release package", releases, compiled: latestPerProcess(releases) };
  }
  if (Array.isArray(data.records)) {
    const releases: OcdsRelease[] = [];
    const compiled: OcdsRelease[] = [];
    data.records.forEach((record, index) => {
      if (record === null || typeof record !== "object")
        throw new DataProblem(`${name}: records[${index}] is not an object.`);
      const { compiledRelease, releases: recordReleases } = record as Record<string, unknown>;
      // A record's releases may be embedded in full or only linked (url, date, tag); keep the embedded ones.
      const embedded = Array.isArray(recordReleases)
        ? recordReleases.filter((r) => r && typeof r === "object" && "ocid" in r)
        : [];
      releases.push(...parseReleases(embedded, `records[${index}].releases`));
      if (compiledRelease) compiled.push(...parseReleases([compiledRelease], `records[${index}].compiledRelease`));
      else compiled.push(...latestPerProcess(parseReleases(embedded, `records[${index}].releases`)));
    });
    if (compiled.length === 0)
      throw new DataProblem(`${name} is an OCDS record package with no records that can be read.`);
    return { kind: "record package", releases, compiled };
  }
  throw new DataProblem(`${name} is JSON but not an OCDS package: it has no "releases" or "records" list.`);
}

function latestPerProcess(releases: OcdsRelease[]) {
  const byOcid = new Map<string, OcdsRelease[]>();
  for (const release of releases) byOcid.set(release.ocid, [...(byOcid.get(release.ocid) ?? []), release]);
  return [...byOcid.values()].map((group) => mergeAwards(sortByDate(group)));
}

function sortByDate(releases: OcdsRelease[]) {
  return [...releases].sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));
}

/** The process's latest release, with every award seen in any release (a later copy of an award wins). */
function mergeAwards(releases: OcdsRelease[]): OcdsRelease {
  const latest = releases[releases.length - 1]!;
  // Later releases often leave out the tender, or its items: keep the latest of each, for CPV codes.
  const latestTender = latest.tender ?? releases.findLast((release) => release.tender)?.tender;
  const latestItems = releases.findLast((release) => release.tender?.items?.length)?.tender?.items;
  const tender = latestTender
    ? { ...latestTender, items: latestTender.items?.length ? latestTender.items : latestItems }
    : undefined;
  const awards = new Map<string, NonNullable<OcdsRelease["awards"]>[number] & { release: OcdsRelease }>();
  releases.forEach((release, releaseIndex) =>
    (release.awards ?? []).forEach((award, index) =>
      awards.set(award.id != null ? `id:${award.id}` : `${releaseIndex}:${index}`, { ...award, release }),
    ),
  );
  return { ...latest, tender, awards: [...awards.values()] };
}

// ---- Summaries ----

type Award = {
  ocid: string;
  buyer: string;
  year: string | null;
  pence: number;
  hasValue: boolean;
  division: string | null;
  suppliers: { name: string; sme: boolean | null; vco: boolean | null }[];
};

const cleanName = (name: string | null | undefined) =>
  decodeHTML(name ?? "")
    .replace(/\s+/g, " ")
    .trim();
const supplierKey = (name: string) => cleanName(name).toUpperCase();
const toPence = (amount: number | null | undefined) => Math.round((amount ?? 0) * 100);
const fromPence = (pence: number) => pence / 100;

/** Every award in the package, one per process and award id, with the facts we group by. */
export function listAwards(ocds: OcdsPackage): Award[] {
  const awards: Award[] = [];
  const currencies = new Set<string>();
  for (const release of ocds.compiled) {
    for (const award of release.awards ?? []) {
      const source = (award as { release?: OcdsRelease }).release ?? release;
      const parties = new Map((source.parties ?? release.parties ?? []).map((party) => [String(party.id), party]));
      const firstCpv = (source.tender?.items ? source.tender : release.tender)?.items
        ?.map((item) => item.classification)
        .find((classification) => classification?.scheme?.toUpperCase() === "CPV" && classification.id != null);
      const buyerParty = (release.parties ?? []).find((party) => party.roles?.includes("buyer"));
      if (award.value?.amount != null) currencies.add((award.value.currency ?? "GBP").toUpperCase());
      awards.push({
        ocid: release.ocid,
        buyer: cleanName(release.buyer?.name ?? buyerParty?.name) || "(buyer not named)",
        year: (award.date ?? source.date ?? release.date)?.slice(0, 4) ?? null,
        pence: toPence(award.value?.amount),
        hasValue: (award.value?.amount ?? 0) > 0,
        division: firstCpv ? String(firstCpv.id).padStart(8, "0").slice(0, 2) : null,
        suppliers: (award.suppliers ?? []).map((supplier) => {
          const party = supplier.id != null ? parties.get(String(supplier.id)) : undefined;
          const scale = party?.details?.scale;
          return {
            name: cleanName(supplier.name ?? party?.name) || "(supplier not named)",
            sme: party?.sme ?? (scale ? scale === "sme" || scale === "micro" : null),
            vco: party?.vco ?? null,
          };
        }),
      });
    }
  }
  // Adding pounds to euros gives a number that means nothing, so say so instead.
  const others = [...currencies].filter((currency) => currency !== "GBP");
  if (others.length > 0) {
    throw new DataProblem(
      `award values are in ${others.join(", ")}${currencies.has("GBP") ? " as well as GBP" : ""}; award tables here add up pounds (GBP) only.`,
    );
  }
  return awards;
}

function groupAwards(awards: Award[], keyOf: (award: Award) => string) {
  const groups = new Map<string, { awards: number; withValue: number; pence: number }>();
  for (const award of awards) {
    const key = keyOf(award);
    const group = groups.get(key) ?? { awards: 0, withValue: 0, pence: 0 };
    group.awards += 1;
    group.withValue += award.hasValue ? 1 : 0;
    group.pence += award.pence;
    groups.set(key, group);
  }
  return [...groups.entries()];
}

const byValueThenName = <T extends [string, { pence: number }]>(a: T, b: T) =>
  b[1].pence - a[1].pence || a[0].localeCompare(b[0]);

export function awardValueByBuyer(ocds: OcdsPackage): DataTable {
  return {
    columns: ["Buyer", "Awards", "Award value (£)"],
    rows: groupAwards(listAwards(ocds), (award) => award.buyer)
      .sort(byValueThenName)
      .map(([buyer, group]) => [buyer, group.awards, fromPence(group.pence)]),
  };
}

export function awardValueByCpvDivision(ocds: OcdsPackage): DataTable {
  return {
    columns: ["Division", "CPV division", "Division name", "Awards", "Award value (£)"],
    rows: groupAwards(listAwards(ocds), (award) => award.division ?? "none")
      .sort(byValueThenName)
      .map(([division, group]) => {
        const title = division === "none" ? "No CPV code" : (CPV_DIVISIONS[division] ?? "Unknown division");
        return [
          division === "none" ? title : `${division} ${title}`,
          division === "none" ? null : division,
          title,
          group.awards,
          fromPence(group.pence),
        ];
      }),
  };
}

export function awardValueByYear(ocds: OcdsPackage): DataTable {
  return {
    columns: ["Award year", "Awards", "Awards above £0", "Award value (£)"],
    rows: groupAwards(listAwards(ocds), (award) => award.year ?? "No date")
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([year, group]) => [year, group.awards, group.withValue, fromPence(group.pence)]),
  };
}

export function supplierSummary(ocds: OcdsPackage) {
  const entries = listAwards(ocds).flatMap((award) => award.suppliers);
  const counts = new Map<string, { name: string; entries: number }>();
  for (const entry of entries) {
    const key = supplierKey(entry.name);
    const count = counts.get(key) ?? { name: entry.name, entries: 0 };
    count.entries += 1;
    counts.set(key, count);
  }
  const flagged = (flag: "sme" | "vco") => entries.filter((entry) => entry[flag] !== null);
  return {
    entries: entries.length,
    distinctSuppliers: counts.size,
    ranked: [...counts.values()].sort((a, b) => b.entries - a.entries || a.name.localeCompare(b.name)),
    sme: { flagged: flagged("sme").length, yes: entries.filter((entry) => entry.sme === true).length },
    vco: { flagged: flagged("vco").length, yes: entries.filter((entry) => entry.vco === true).length },
  };
}

export function topSuppliers(ocds: OcdsPackage): DataTable {
  const summary = supplierSummary(ocds);
  return {
    columns: ["Supplier", "Award entries", "Share of entries (%)"],
    rows: summary.ranked.map((supplier) => [
      supplier.name,
      supplier.entries,
      round((supplier.entries / summary.entries) * 100, 1),
    ]),
  };
}

export function smeAndVcseShare(ocds: OcdsPackage): DataTable {
  const summary = supplierSummary(ocds);
  const row = (label: string, { flagged, yes }: { flagged: number; yes: number }) => [
    label,
    yes,
    flagged - yes,
    flagged === 0 ? null : round((yes / flagged) * 100, 1),
  ];
  return {
    columns: ["Flag", "Flagged yes", "Flagged no", "Share flagged yes (%)"],
    rows: [row("SME", summary.sme), row("VCSE (vco)", summary.vco)],
  };
}

const STAGES = ["planning", "tender", "award", "contract", "implementation"] as const;

/**
 * The furthest stage a release reports, from its tag or from what it contains, whichever is
 * later: Contracts Finder tags releases "tender" even when they carry awards.
 */
function stageOf(release: OcdsRelease): (typeof STAGES)[number] {
  const fromTag = Math.max(
    -1,
    ...(release.tag ?? []).map((tag) => STAGES.findIndex((stage) => tag.toLowerCase().startsWith(stage))),
  );
  let fromContent = 0;
  if (release.contracts?.some((contract) => contract.implementation)) fromContent = 4;
  else if ((release.contracts?.length ?? 0) > 0) fromContent = 3;
  else if ((release.awards?.length ?? 0) > 0) fromContent = 2;
  else if (release.tender && (release.tender as { status?: unknown }).status !== "planned") fromContent = 1;
  return STAGES[Math.max(fromTag, fromContent)]!;
}

export function releasesByStage(ocds: OcdsPackage): DataTable {
  const years = new Map<string, number[]>();
  for (const release of ocds.releases) {
    const year = release.date?.slice(0, 4) ?? "No date";
    const counts = years.get(year) ?? STAGES.map(() => 0);
    counts[STAGES.indexOf(stageOf(release))]! += 1;
    years.set(year, counts);
  }
  return {
    columns: ["Release year", ...STAGES.map((stage) => stage[0]!.toUpperCase() + stage.slice(1))],
    rows: [...years.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([year, counts]) => [year, ...counts]),
  };
}

/** What each stage of the processes says the money is: budget, estimate, award, contract, paid. */
export function valueByStage(ocds: OcdsPackage): DataTable {
  const sum = (values: (number | null | undefined)[]) =>
    fromPence(values.reduce<number>((total, value) => total + toPence(value), 0));
  const releases = sortByDate(ocds.releases.length > 0 ? ocds.releases : ocds.compiled);
  const latest = <T>(pick: (release: OcdsRelease) => T | undefined | null) =>
    releases
      .map(pick)
      .filter((value) => value !== undefined && value !== null)
      .at(-1) ?? undefined;
  const budgets = new Map<string, number | null | undefined>();
  const estimates = new Map<string, number | null | undefined>();
  for (const release of releases) {
    const budget = release.planning?.budget?.amount?.amount;
    if (budget != null) budgets.set(release.ocid, budget);
    const estimate = release.tender?.value?.amount;
    if (estimate != null) estimates.set(release.ocid, estimate);
  }
  const compiledContracts = ocds.compiled.flatMap(
    (release) =>
      latest((candidate) =>
        candidate.ocid === release.ocid && candidate.contracts?.length ? candidate.contracts : undefined,
      ) ??
      release.contracts ??
      [],
  );
  return {
    columns: ["Stage", "Value (£)"],
    rows: [
      ["Planning: budget", sum([...budgets.values()])],
      ["Tender: estimated value", sum([...estimates.values()])],
      ["Award: award value", fromPence(listAwards(ocds).reduce((total, award) => total + award.pence, 0))],
      ["Contract: contract value", sum(compiledContracts.map((contract) => contract.value?.amount))],
      [
        "Implementation: paid",
        sum(
          compiledContracts.flatMap((contract) =>
            (contract.implementation?.transactions ?? []).map((t) => (t.value ?? t.amount)?.amount),
          ),
        ),
      ],
    ],
  };
}

function round(value: number, places: number) {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

export const OCDS_TABLES = {
  "award-value-by-buyer": awardValueByBuyer,
  "award-value-by-cpv-division": awardValueByCpvDivision,
  "award-value-by-year": awardValueByYear,
  "top-suppliers": topSuppliers,
  "sme-vcse-share": smeAndVcseShare,
  "releases-by-stage": releasesByStage,
  "value-by-stage": valueByStage,
} satisfies Record<string, (ocds: OcdsPackage) => DataTable>;
