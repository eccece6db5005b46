import { beforeAll, describe, expect, it } from "vitest";

import { loader as searchLoader } from "~/routes/search";
import { loader as searchJsonLoader } from "~/routes/search[.json]";
import { MAX_QUERY_WORDS, parseQuery } from "~/search/query-parser";

import { callLoader } from "../support/remix";
import { importSeedLibrary, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

beforeAll(async () => {
  await importSeedLibrary();
  await readySearch();
});

const HOSTILE = [
  "",
  " ",
  "*",
  "**********",
  "*procure",
  "*a*b*c*",
  "procure~100",
  "contract~2 value~99999",
  "title:",
  ":::",
  "title:title:title:",
  "nosuchfield:value",
  "+",
  "-",
  "+-+-+-",
  "-contract",
  "-contract -value -social",
  '"',
  '"""',
  '"unclosed quote',
  "^10 ^^^ contract^1000",
  "contract^-5",
  "(a OR b) AND NOT c",
  "\\",
  "\u0000\u0001\u0002\u001f\u007f",
  "con\u0000tract",
  "\u200b\u200e\u202e contract",
  "🙂🙂🙂 social value 🙂",
  "ÉCOLE café naïve",
  "قيمة اجتماعية",
  "社会价值",
  "a".repeat(10_000),
  "contract ".repeat(2_000),
  "procur* ".repeat(500),
  "x~1 ".repeat(1_000),
  Array.from({ length: 5_000 }, (_, i) => String.fromCharCode(i % 0xd7ff)).join(""),
  "<script>alert(1)</script>",
  "%00%ff%",
  "title:*",
  "title:a*",
  "a* b* c* d* e* f* g* h* i* j* k* l* m*",
  "procurementprocurementprocurementprocurementprocurement",
];

const ALPHABET = Array.from("abcdeprocuntvl *~^:+-\"\\()[]{}!?.,;'`\u0000\u00e9\u200b🙂0123456789");

function randomQuery(next: () => number) {
  const length = Math.floor(next() * 60);
  let query = "";
  for (let i = 0; i < length; i += 1) query += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return query;
}

function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("any string is a valid search", () => {
  it("parses into a bounded query", () => {
    for (const input of HOSTILE) {
      const parsed = parseQuery(input);
      expect(parsed.words.length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
      for (const word of parsed.words) expect(word.word.length).toBeLessThanOrEqual(40);
      expect(parsed.cleaned).not.toMatch(/\p{Cc}/u);
    }
  });

  // How fast each answers is measured by scripts/bench-search.ts, not timed here.
  it("answers thousands of random and hostile queries with 200", async () => {
    const next = seeded(42);
    const queries = [...HOSTILE, ...Array.from({ length: 2_000 }, () => randomQuery(next))];
    for (const [position, q] of queries.entries()) {
      const url = `/search?q=${encodeURIComponent(q)}&page=${position % 3 === 0 ? "999999" : "1"}&sort=${position % 2 ? "newest" : "nonsense"}`;
      const page = await callLoader(searchLoader, url);
      expect(["empty", "results"]).toContain(page.state);
      if (position % 20 === 0) {
        const response = await callLoader(searchJsonLoader, url.replace("/search", "/search.json"));
        expect(response.status).toBe(200);
      }
    }
    // Bytes that are not UTF-8 at all still get a page.
    const page = await callLoader(searchLoader, "/search?q=%ED%A0%80%FF%FE&type=%C0");
    expect(["empty", "results"]).toContain(page.state);
  }, 120_000);

  it("returns 200 JSON with results for the same query string as the page", async () => {
    const response = await callLoader(searchJsonLoader, "/search.json?q=social%20value&type=tip");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    const body = (await response.json()) as { state: string; total: number; filters: Record<string, string> };
    expect(body.state).toBe("results");
    expect(body.total).toBeGreaterThan(0);
    expect(body.filters).toEqual({ type: "tip" });
  });
});
