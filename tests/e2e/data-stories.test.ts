import { describe, expect, it } from "vitest";

import { expectAccessible, useBrowser } from "./support/browser";
import { expectVisible, mainHeading, navigate } from "./support/evidence";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

const STORY = "/library/cabinet-office-spend-over-25k-2010-2022";
const STORY_TITLE = "Cabinet Office spend over £25k, 2010–2022: £8.25bn by financial year, and the March spikes";

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("a data story's charts $label", ({ javaScriptEnabled }) => {
  it("reads at 320 px: named images, tables behind them, CSV downloads, no sideways scrolling, no axe violations", async () => {
    const page = await openPage({ javaScriptEnabled, viewport: { width: 320, height: 800 } });
    await navigate(page, STORY, mainHeading(page, STORY_TITLE));

    const chart = page.getByRole("img", {
      name: "Cabinet Office spend over £25k by financial year, 2010-11 to 2022-23",
    });
    await expectVisible(chart);
    const box = await chart.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(320);
    expect(box!.width).toBeGreaterThan(250);
    await expect(
      page.getByRole("img", { name: "Cabinet Office spend over £25k by month, April 2010 to July 2022" }).count(),
    ).resolves.toBe(1);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);

    await page.getByText("Show the numbers in chart 1 as a table").click();
    const table = page.getByRole("table", {
      name: "Cabinet Office spend over £25k by financial year, 2010-11 to 2022-23",
    });
    await expectVisible(table);
    await expect(table.getByRole("row", { name: /2020-21 £1,407,086,083\.78/ }).count()).resolves.toBe(1);
    if (javaScriptEnabled) await expectAccessible(page);

    const href = await page
      .getByRole("link", { name: /Download these numbers \(CSV\) for chart 1/ })
      .getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(await csv.text()).toContain("2020-21,1407086083.78");

    const data = page.getByRole("region", { name: "Download the data" });
    await expect(data.getByText("Derived from Cabinet Office spend data", { exact: false }).count()).resolves.toBe(0);
    await expect(
      data.getByText("Contains public sector information licensed under the Open Government Licence v3.0").count(),
    ).resolves.toBe(1);
    const file = await page.request.get(
      (await data
        .getByRole("link", { name: "Download cabinet-office-spend-over-25k-monthly.csv" })
        .getAttribute("href")) ?? "",
    );
    expect(file.headers()["content-disposition"]).toBe(
      'attachment; filename="cabinet-office-spend-over-25k-monthly.csv"',
    );
    expect(file.headers()["etag"]).toBe('"de3a728d025ee8d0c937689b0b9ea84a2b7efa28bf697e3f5851a668af5585de"');
  });
});

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("attaching a dataset in the browser $label", ({ javaScriptEnabled, label }) => {
  const story = "/library/reading-ocds-barnet-cycle-lane-six-releases";

  it("explains a bad file without losing what was typed, then attaches a good one", async () => {
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page, { role: "moderator" });
    await navigate(page, story, page.getByRole("link", { name: "Attach or manage datasets" }));
    await navigate(
      page,
      () => page.getByRole("link", { name: "Attach or manage datasets" }).click(),
      mainHeading(
        page,
        "Datasets for “One contract, six releases: reading OCDS through the fictional Barnet cycle-lane example”",
      ),
      { url: `${story}/datasets` },
    );
    if (javaScriptEnabled) await expectAccessible(page);

    const title = `Barnet cycle lane payments (${label})`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Publisher").fill("London Borough of Barnet (fictional)");
    await page.getByLabel("Source web address").fill("https://example.org/payments");
    await page.getByLabel("Licence").fill("Open Government Licence v3.0");
    await page
      .getByLabel("Attribution line")
      .fill("Contains public sector information licensed under the Open Government Licence v3.0");
    await page.getByLabel("Data file").setInputFiles({
      name: "payments.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Date,Paid (£)\n2010-08-01,50000\n2010-10-01,10000,extra\n"),
    });
    const summary = page.locator(".error-summary");
    await navigate(page, () => page.getByRole("button", { name: "Attach dataset" }).click(), summary);
    await expect(
      summary
        .getByText("payments.csv, line 3: this row has 3 cells, but the header has 2 columns.", { exact: false })
        .count(),
    ).resolves.toBe(1);
    await expect(page.getByLabel("Title").inputValue()).resolves.toBe(title);
    if (javaScriptEnabled) await expectAccessible(page);

    await page.getByLabel("Data file").setInputFiles({
      name: "payments.csv",
      mimeType: "text/csv",
      buffer: Buffer.from('Date,Paid (£)\n2010-08-01,"50,000"\n2010-10-01,10000\n'),
    });
    const attached = page.getByRole("status").locator("strong", { hasText: /^Attached payments(-2)?\.csv\.$/ });
    await navigate(page, () => page.getByRole("button", { name: "Attach dataset" }).click(), attached, {
      url: new RegExp(`^${story}/datasets\\?attached=payments(-2)?\\.csv$`),
    });
    if (javaScriptEnabled) await expectAccessible(page);

    const data = page.getByRole("region", { name: "Download the data" });
    const item = data.getByRole("listitem").filter({ has: page.getByText(title, { exact: true }) });
    // The address changes before the new page has rendered: wait for the dataset itself.
    await navigate(page, () => page.getByRole("link", { name: /^Back to/ }).click(), item, { url: story });
    await expect(item.count()).resolves.toBe(1);
    const href = await item.getByRole("link", { name: /^Download payments(-2)?\.csv$/ }).getAttribute("href");
    const download = await page.request.get(href!);
    expect(await download.text()).toBe('Date,Paid (£)\n2010-08-01,"50,000"\n2010-10-01,10000\n');

    const fileName = href!.split("/").pop()!;
    await navigate(page, `${story}/datasets`, page.getByRole("button", { name: `Remove ${fileName}` }));
    await navigate(
      page,
      () => page.getByRole("button", { name: `Remove ${fileName}` }).click(),
      page.getByRole("status").locator("strong", { hasText: `Removed ${fileName}.` }),
      { url: `${story}/datasets?removed=${fileName}` },
    );
    await expect(page.getByRole("status").locator("strong").textContent()).resolves.toBe(`Removed ${fileName}.`);
    await expect(page.getByRole("button", { name: `Remove ${fileName}` }).count()).resolves.toBe(0);
    if (javaScriptEnabled) await expectAccessible(page);
  });

  it("is refused to members who are not the story's authors", async () => {
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page);
    const response = await navigate(page, `${story}/datasets`, page.locator("h1").first());
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("link", { name: "Attach or manage datasets" }).count()).resolves.toBe(0);
  });
});
