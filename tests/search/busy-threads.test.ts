import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { searchFromUrl } from "~/search/search.server";
import { MAX_THREAD_TEXT, threadTextOf } from "~/search/sources.server";

import { createCommunity, createReply, createThread } from "../factories/discussions";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

describe("threadTextOf", () => {
  it("keeps whole posts up to the thread document's size, reading no more than that needs", () => {
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
    // The second post would pass the limit: it becomes a document of its own, not half of one here.
    expect(text).toBe(long.trim());
    expect(read).toBe(2);
  });
});

describe("a busy thread in search results", () => {
  let threadId: number;
  let lateReply: number;

  beforeAll(async () => {
    const { id: communityId } = await createCommunity({ visibility: "open" });
    const thread = await createThread({
      communityId,
      kind: "discussion",
      body: "Our zanzibarite framework lot structure, explained.",
    });
    threadId = thread.threadId;
    const filler = `Agreed on the lots. ${"The buyer should publish the evaluation model before the tender. ".repeat(120)}`;
    for (let reply = 0; reply < 12; reply += 1) await createReply({ threadId, body: filler });
    await createReply({ threadId, body: "A late word, long after the thread's own text: quixotical." });
    lateReply = (
      await db
        .selectFrom("posts")
        .select("id")
        .where("thread_id", "=", threadId)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow()
    ).id;
    await readySearch();
    await eventually(async () => {
      const page = await searchFromUrl(new URLSearchParams("q=quixotical"));
      return page.state === "results" && page.total === 1;
    });
  });

  async function search(q: string) {
    const page = await searchFromUrl(new URLSearchParams({ q }));
    if (page.state !== "results") throw new Error(page.state);
    return page;
  }

  it("finds a word in the first post, with its snippet from there", async () => {
    const found = await search("zanzibarite");
    expect(found.total).toBe(1);
    expect(found.results[0]!.snippet.filter((part) => part.isMatch).map((part) => part.text.toLowerCase())).toContain(
      "zanzibarite",
    );
  });

  it("finds a word in a reply past the thread's own text, and links to that reply", async () => {
    const found = await search("quixotical");
    expect(found.total).toBe(1);
    expect(found.results[0]!.ref).toBe(`thread:${threadId}`);
    expect(found.results[0]!.href).toMatch(new RegExp(`/threads/${threadId}-[a-z0-9-]+#post-${lateReply}$`));
    expect(found.results[0]!.snippet.filter((part) => part.isMatch).map((part) => part.text)).toEqual(["quixotical"]);
  });

  it("counts the thread once when the word is in many of its posts", async () => {
    const found = await search("evaluation");
    expect(found.total).toBe(1);
    expect(found.facets.kind).toEqual([{ value: "discussion", count: 1 }]);
  });

  it("follows a later reply's edits and hiding", async () => {
    await db
      .updateTable("posts")
      .set({ body_markdown: "Edited: now about a xerophytic hedge.", edited_at: new Date().toISOString() })
      .where("id", "=", lateReply)
      .execute();
    await eventually(async () => (await search("xerophytic")).total === 1 && (await search("quixotical")).total === 0);
    await db.updateTable("posts").set({ is_hidden: 1 }).where("id", "=", lateReply).execute();
    await eventually(async () => (await search("xerophytic")).total === 0);
  });
});
