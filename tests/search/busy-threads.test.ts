import { beforeAll, describe, expect, it } from "vitest";

import { searchFromUrl } from "~/search/search.server";
import { MAX_THREAD_TEXT, threadTextOf } from "~/search/sources.server";

import { createCommunity, createReply, createThread } from "../factories/discussions";
import { readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

describe("threadTextOf", () => {
  it("reads posts only until it has the text search keeps", () => {
    const long = "word ".repeat(5_000);
    let read = 0;
    function* posts() {
      for (let index = 0; index < 1_000; index += 1) {
        read += 1;
        yield long;
      }
    }
    const text = threadTextOf(posts());
    expect(text.length).toBeLessThanOrEqual(MAX_THREAD_TEXT);
    expect(text.length).toBeGreaterThan(MAX_THREAD_TEXT - 10);
    expect(read).toBe(Math.ceil(MAX_THREAD_TEXT / long.length));
  });
});

describe("a busy thread in search results", () => {
  beforeAll(async () => {
    const { id: communityId } = await createCommunity({ visibility: "open" });
    const thread = await createThread({
      communityId,
      kind: "discussion",
      body: "Our zanzibarite framework lot structure, explained.",
    });
    const filler = `Agreed on the lots. ${"The buyer should publish the evaluation model before the tender. ".repeat(120)}`;
    for (let reply = 0; reply < 12; reply += 1) await createReply({ threadId: thread.threadId, body: filler });
    await createReply({ threadId: thread.threadId, body: "A late word nobody indexes: quixotical." });
    await readySearch();
  });

  it("takes the snippet from the text search keeps, and never from replies past it", async () => {
    const found = await searchFromUrl(new URLSearchParams("q=zanzibarite"));
    if (found.state !== "results") throw new Error(found.state);
    expect(found.total).toBe(1);
    expect(found.results[0]!.snippet.filter((part) => part.isMatch).map((part) => part.text.toLowerCase())).toContain(
      "zanzibarite",
    );

    // The price of bounded work per reply, stated in the README: words past the kept text are not searchable.
    const late = await searchFromUrl(new URLSearchParams("q=quixotical"));
    expect(late.state === "results" ? late.total : 0).toBe(0);
  });
});
