import { afterAll, describe, expect, it } from "vitest";

import { DataProblem } from "~/datasets/data-table";

import { renderItemBodySync } from "./item-body.server";
import { RenderPool } from "./render-pool.server";
import { RenderRefused } from "./render-refused";

const pools: RenderPool[] = [];
const newPool = (options: ConstructorParameters<typeof RenderPool>[0] = {}) => {
  const pool = new RenderPool(options);
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

const budget = { budgetMs: 30_000 };
// About a second of rendering: 200,000 characters of nested list items.
const slowBody = `${"- a\n  - b\n".repeat(20_000)}`;

describe("the render pool", () => {
  it("renders in a worker exactly as rendering here would", async () => {
    const body =
      "## Heading\n\nSome *words*.\n\n```chart\nkind: bar\ntitle: T\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B\n```\n";
    const pool = newPool();
    expect(await pool.run("itemBody", { body, slug: "a-story", datasets: [] }, budget)).toEqual(
      renderItemBodySync(body, { slug: "a-story" }),
    );
  });

  it("reuses one worker for renders one after another, and starts a second only when renders overlap", async () => {
    const pool = newPool({ size: 2 });
    for (let n = 0; n < 20; n += 1) await pool.run("reply", { markdown: `Reply ${n}` }, budget);
    expect(pool.workerCount).toBe(1);
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, n) => pool.run("reply", { markdown: `*Reply* ${n}` }, budget)),
    );
    expect(replies.map((reply) => reply.html)).toEqual(
      Array.from({ length: 6 }, (_, n) => `<p><em>Reply</em> ${n}</p>\n`),
    );
    expect(pool.workerCount).toBe(2);
  });

  it("stops a render that runs past its budget, says so, and renders the next one with a new worker", async () => {
    const pool = newPool();
    await pool.run("reply", { markdown: "Warm up" }, budget);
    const stopped = await pool.run("itemBody", { body: slowBody, datasets: [] }, { budgetMs: 50 }).catch((e) => e);
    expect(stopped).toBeInstanceOf(RenderRefused);
    expect((stopped as RenderRefused).reason).toBe("too-slow");
    expect((stopped as RenderRefused).message).toMatch(
      /We stopped rendering this after .*nothing you wrote has been lost/,
    );
    expect(pool.workerCount).toBe(0);
    expect((await pool.run("reply", { markdown: "Still here" }, budget)).html).toBe("<p>Still here</p>\n");
  });

  it("gives problems with data back as the DataProblem they are", async () => {
    const pool = newPool();
    const failed = await pool
      .run("dataset", { fileName: "spend.csv", bytes: Buffer.from("A,B\nx,1,2\n") }, budget)
      .catch((e) => e);
    expect(failed).toBeInstanceOf(DataProblem);
    expect((failed as DataProblem).message).toContain("spend.csv, line 2: this row has 3 cells");
  });

  it("refuses at once, as busy, a render that would wait behind too many others", async () => {
    const pool = newPool({ size: 1, maxWaiting: 1 });
    await pool.run("reply", { markdown: "Warm up" }, budget);
    const running = pool.run("itemBody", { body: slowBody, datasets: [] }, budget);
    const waiting = pool.run("reply", { markdown: "Waiting" }, budget);
    const refused = await pool.run("reply", { markdown: "Refused" }, budget).catch((e) => e);
    expect(refused).toBeInstanceOf(RenderRefused);
    expect((refused as RenderRefused).reason).toBe("busy");
    await running;
    expect((await waiting).html).toBe("<p>Waiting</p>\n");
  });
});
