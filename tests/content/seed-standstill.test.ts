import path from "node:path";

import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { importCommunities } from "~/models/community-seed.server";
import { syncContent } from "~/models/content-sync.server";

const TIP_SLUG = "standstill-after-uk6-count-working-days";

// s.51 of the Procurement Act: the standstill is eight working days *beginning with* the day the UK6
// is published, so the publication day is day 1. The seed once answered "the day after"; the tip and
// the accepted answer that links to it must keep telling readers the same thing.
describe("the standstill fact in the seed content", () => {
  it("has the tip and the accepted answer on standstill agree that the UK6 publication day is day 1", async () => {
    await syncContent({ root: path.resolve("content") });
    await importCommunities({ root: path.resolve("content/communities") });

    const tip = await db
      .selectFrom("items")
      .select(["summary", "body_markdown"])
      .where("slug", "=", TIP_SLUG)
      .executeTakeFirstOrThrow();
    expect(tip.summary).toMatch(/starts on the day the UK6 contract award notice is published/);
    expect(tip.body_markdown).toMatch(/beginning with the day the UK6 is published/);
    const publicationRow = tip.body_markdown.split("\n").find((line) => line.includes("| UK6 published |"));
    expect(publicationRow?.replace(/\s+/g, " ")).toMatch(/\| Yes \| 1 \|$/);

    const answer = await db
      .selectFrom("threads")
      .innerJoin("posts", "posts.id", "threads.accepted_post_id")
      .select(["posts.body_markdown", "posts.body_html"])
      .where("threads.slug", "=", "standstill-working-days-after-uk6")
      .executeTakeFirstOrThrow();
    expect(answer.body_markdown).toMatch(/Thursday is day 1/);
    expect(answer.body_markdown).toMatch(/beginning with\*? the day the UK6 is published/);
    expect(answer.body_markdown).not.toMatch(/day after publication|Friday is day 1/i);
    // Thursday 1, Friday 2, (weekend, Monday bank holiday) Tuesday to Friday 3-6, (weekend) Monday 7, Tuesday 8.
    expect(answer.body_markdown).toMatch(/Tuesday: day 8/);
    expect(answer.body_markdown).toMatch(/earliest you can enter into the contract is the Wednesday/);
    expect(answer.body_html).toContain(`<a href="/library/${TIP_SLUG}">`);
  });
});
