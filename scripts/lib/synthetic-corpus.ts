// A deterministic, procurement-flavoured synthetic library for benchmarks: markdown bodies of about
// 4 KB built from a Zipf-distributed domain vocabulary, function words, and a long tail of rare
// proper nouns and codes whose vocabulary grows with the corpus, as real text does.

const DOMAIN_WORDS = `contract supplier council procurement value social tender service market provider
commissioning framework notice award standstill performance kpi outcome evaluation budget risk
delivery partnership engagement community housing care health school transport waste energy
carbon net zero retrofit fleet maintenance lot lots bidder bidders sme vcse local regional
authority board trust officer manager team stakeholder resident patient user pupil tenant
quality price cost saving savings spend category specification requirement requirements criteria
weighting scoring assessment clarification moderation panel decision approval governance report
reporting data dashboard measure baseline target evidence monitoring review renewal extension
exit transition mobilisation implementation pilot trial scale improvement innovation design
co-design consultation feedback lesson lessons learning practice guidance policy regulation act
regime threshold direct dynamic competitive flexible open restricted negotiation dialogue
below light touch transparency publication pipeline preliminary planned termination change
modification payment invoice late prompt subcontractor supply chain apprenticeship employment
training skills volunteering wellbeing inclusion equality accessibility environment biodiversity
emissions recycling reuse circular food catering cleaning security facilities estates construction
works goods services consultancy software licence hosting cloud digital platform system systems
integration migration contractually liability indemnity insurance warranty breach remedy dispute
escalation meeting meetings workshop workshops session sessions month months year years week
weeks quarter quarterly annual annually cycle phase stage plan define procure manage commission
commissioner commissioners buyer buyers category manager procurement officer legal finance
director cabinet member scrutiny committee audit internal external independent frontline
provider providers alliance alliances collaborative collaboration shared learning relationship
relationships trust trusted honest open transparent early late timely delayed scope scoped
affordable affordability sustainable sustainability resilient resilience capacity capability
demand forecast forecasting volume volumes unit units hourly rate rates indexation inflation
uplift uplifts pricing price model models lotting lotted regional national county borough city
district rural urban coastal island valley market-shaping needs analysis options appraisal
business case strategic outline full approval gateway checkpoint milestone milestones`.split(/\s+/);

const FUNCTION_WORDS = `the of and to a in for is on that with as we was by it at from this be are were
our have has had not but or an they their which all more than also into when after over
about before each most only then there these those through under who will would what how`.split(/\s+/);

const HEADINGS = ["Context", "The challenge", "What we did", "What changed", "Keeping it going", "Lessons learned"];
const SYLLABLES = `bri ndle ford ham ton wick mere glen ar den fen march kes trel val ley pen fro new ydd
mer cia nor th east west ash by croft dale holm ing ley moor stead thorpe worth bury cas ter
lin den ock ridge shaw stow wold yar row quen bel ros ith ul mav tor zen pol dri`.split(/\s+/);

export type SyntheticItem = {
  id: number;
  type: "case-study" | "tip" | "data-story";
  title: string;
  summary: string;
  body: string;
  themes: string[];
  tags: string[];
  author: string;
  organisationType: string;
  procedure: string;
  valueBand: string;
  publishedAt: string;
};

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zipfSampler(size: number, exponent: number, next: () => number) {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= size; rank += 1) {
    total += 1 / rank ** exponent;
    cumulative.push(total);
  }
  return () => {
    const target = next() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

const RARE_POOL_SIZE = 150_000;

/** The rare word with this number: a pronounceable made-up name, the same on every run. */
function rareWord(index: number) {
  let word = "";
  let rest = index + 7;
  for (let part = 0; part < 3; part += 1) {
    word += SYLLABLES[rest % SYLLABLES.length];
    rest = Math.floor(rest / SYLLABLES.length) + part * 13;
  }
  return word + (index % 7 === 0 ? String(index % 97) : "");
}

const ORGANISATION_TYPES = [
  "local-authority",
  "nhs-trust",
  "integrated-care-board",
  "university-college",
  "housing-association",
  "central-government",
];
const PROCEDURES = ["open", "competitive-flexible", "direct-award", "framework", "dynamic-market", "below-threshold"];
const VALUE_BANDS = ["under-12k", "12k-30k", "30k-threshold", "threshold-2m", "2m-5m", "5m-20m"];
const THEMES = ["upstream", "downstream", "partnership"];
const TAGS = [
  "social-value",
  "kpis",
  "uk9",
  "net-zero",
  "sme",
  "vcse",
  "standstill",
  "uk6",
  "frameworks",
  "market-engagement",
  "exit",
  "ppn-002",
];
const TYPES = ["case-study", "tip", "data-story"] as const;

export function* syntheticItems(count: number, seed = 20261125): Generator<SyntheticItem> {
  const next = random(seed);
  const domainRank = zipfSampler(DOMAIN_WORDS.length, 1.05, next);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const domain = () => DOMAIN_WORDS[domainRank()]!;
  const rare = () => rareWord(Math.floor(next() * RARE_POOL_SIZE));
  const sentence = () => {
    const length = 10 + Math.floor(next() * 14);
    const words: string[] = [];
    for (let i = 0; i < length; i += 1) {
      const roll = next();
      words.push(
        roll < 0.42
          ? pick(FUNCTION_WORDS)
          : roll < 0.985
            ? domain()
            : roll < 0.993
              ? rare()
              : `£${(next() * 20).toFixed(1)}m`,
      );
    }
    const text = words.join(" ");
    return text[0]!.toUpperCase() + text.slice(1) + ".";
  };

  for (let id = 1; id <= count; id += 1) {
    const organisation = `${rare()[0]!.toUpperCase()}${rare().slice(1)} ${pick(["Borough Council", "County Council", "NHS Trust", "University", "Housing"])}`;
    const title =
      `${domain()[0]!.toUpperCase()}${[domain(), domain(), "at", organisation, domain(), domain()].join(" ").slice(1)}`.replace(
        /^(.)/,
        (c) => c.toUpperCase(),
      );
    const summary = `${sentence()} ${sentence()}`.slice(0, 280);
    const sections: string[] = [];
    let length = 0;
    const target = 2_500 + Math.floor(next() * 3_200);
    for (let section = 0; length < target; section += 1) {
      const paragraphs = [`## ${HEADINGS[section % HEADINGS.length]}`];
      for (let p = 0; p < 2; p += 1) {
        paragraphs.push(Array.from({ length: 3 + Math.floor(next() * 3) }, sentence).join(" "));
      }
      if (next() < 0.4) paragraphs.push(Array.from({ length: 3 }, () => `- ${sentence()}`).join("\n"));
      const text = paragraphs.join("\n\n");
      sections.push(text);
      length += text.length;
    }
    yield {
      id,
      type: TYPES[id % 3]!,
      title: title.slice(0, 160),
      summary,
      body: `${organisation} ${sentence()}\n\n${sections.join("\n\n")}\n`,
      themes: [...new Set([pick(THEMES), ...(next() < 0.3 ? [pick(THEMES)] : [])])],
      tags: [...new Set([pick(TAGS), pick(TAGS), ...(next() < 0.5 ? [pick(TAGS)] : [])])],
      author: `${rareWord(id % 5_000)} ${pick(["Okafor", "Patel", "Jones", "Evans", "Singh", "Brown", "Wilson", "Taylor"])}`,
      organisationType: pick(ORGANISATION_TYPES),
      procedure: pick(PROCEDURES),
      valueBand: pick(VALUE_BANDS),
      publishedAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 6 * 365) * 86_400_000).toISOString(),
    };
  }
}

/** True for words the generator uses everywhere (domain and function words), not rare names. */
export function isVocabularyWord(word: string) {
  return DOMAIN_WORDS.includes(word) || FUNCTION_WORDS.includes(word);
}

/** Words to search for, by query class, drawn from the same vocabulary as the corpus. */
export function benchmarkQueries(seed = 7) {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const common = DOMAIN_WORDS.slice(0, 12);
  const middling = DOMAIN_WORDS.slice(20, 250);
  const long = DOMAIN_WORDS.filter((word) => word.length >= 7 && !word.includes("-"));
  const typo = (word: string) => {
    const at = 1 + Math.floor(next() * (word.length - 3));
    return next() < 0.5
      ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
      : word.slice(0, at) + word.slice(at + 1);
  };
  const many = (make: () => string) => Array.from({ length: 40 }, make);
  return {
    common: many(() => pick(common)),
    rare: many(() => rareWord(Math.floor(next() * 20_000))),
    "two words": many(() => `${pick(middling)} ${pick(middling)}`),
    "three words": many(() => `${pick(middling)} ${pick(middling)} ${pick(common)}`),
    prefix: many(() => `${pick(long).slice(0, 4)}*`),
    typo: many(() => typo(pick(long))),
    field: many(() => `title:${pick(middling)}`),
  };
}
