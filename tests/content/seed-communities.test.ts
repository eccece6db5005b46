import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { CommunitySeedError, importCommunities } from "~/models/community-seed.server";
import { syncContent } from "~/models/content-sync.server";

describe("the seed communities", () => {
  it("import every kind of community, idempotently, with seed people who cannot sign in", async () => {
    await syncContent({ root: path.resolve("content") });
    const first = await importCommunities({ root: path.resolve("content/communities") });
    expect(first.communities).toBeGreaterThanOrEqual(6);
    expect(first.threads).toBeGreaterThanOrEqual(8);
    const second = await importCommunities({ root: path.resolve("content/communities") });
    expect(second).toEqual({ people: 0, communities: 0, threads: 0, replies: 0 });

    const kinds = await db.selectFrom("communities").select("kind").distinct().execute();
    expect(kinds.map((row) => row.kind).sort()).toEqual(["region", "sector", "topic"]);
    expect(await db.selectFrom("communities").select("id").where("visibility", "=", "members").execute()).not.toHaveLength(0);
    const seedPeople = await db.selectFrom("users").select("password_hash").where("email", "like", "%@seed.invalid").execute();
    expect(seedPeople.length).toBeGreaterThan(0);
    expect(seedPeople.every((person) => person.password_hash === null)).toBe(true);
    const uk9 = await db.selectFrom("threads").select(["title", "accepted_post_id", "reply_count"]).where("slug", "=", "has-anyone-published-a-uk9-yet").executeTakeFirstOrThrow();
    expect(uk9.accepted_post_id).not.toBeNull();
    expect(uk9.reply_count).toBe(3);
  });

  it("refuses a bad file, naming the file and the field, and changes nothing", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "communities-"));
    try {
      writeFileSync(path.join(root, "people.yaml"), "people:\n  - username: a-person\n    display_name: A Person\n");
      writeFileSync(path.join(root, "broken.yaml"), "name: Broken\ndescription: A community with a bad kind.\nkind: galaxy\nvisibility: open\n");
      const before = await db.selectFrom("communities").select("id").execute();
      await expect(importCommunities({ root })).rejects.toThrow(CommunitySeedError);
      await expect(importCommunities({ root })).rejects.toThrow(/broken\.yaml: kind/);
      expect(await db.selectFrom("communities").select("id").execute()).toHaveLength(before.length);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
