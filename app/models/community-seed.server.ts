import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { parse as parseYaml } from "yaml";
import { z } from "zod";

import { writeTransaction } from "~/db/client.server";

import { renderReplyMarkdown } from "./reply-render.server";
import { THEME_SLUGS } from "./vocabulary";

// Seed communities live in content/communities as YAML: one file per community, plus people.yaml.
// The import is idempotent: communities are matched by slug, people by username, threads by
// (community, slug); anything already there is left as it is, so members' own posts are never touched.

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case words joined by hyphens");
const timestamp = z.iso.datetime({ message: "use an ISO date-time such as 2026-03-02T09:15:00Z" });

const PersonSchema = z.object({
  username: slug,
  display_name: z.string().min(2),
  organisation: z.string().min(2).optional(),
  job_role: z.string().min(2).optional(),
  role: z.enum(["member", "moderator"]).default("member"),
});

const PeopleFileSchema = z.object({ people: z.array(PersonSchema).min(1) });

const ReplySchema = z.object({
  key: z.string().min(1),
  author: slug,
  posted: timestamp,
  in_reply_to: z.string().optional(),
  body: z.string().trim().min(2).max(20_000),
});

const ThreadSchema = z.object({
  slug,
  kind: z.enum(["discussion", "question"]),
  title: z.string().min(8).max(150),
  author: slug,
  posted: timestamp,
  themes: z.array(z.enum(THEME_SLUGS)).default([]),
  tags: z.array(slug).default([]),
  items: z.array(slug).default([]),
  body: z.string().trim().min(2).max(20_000),
  pinned: z.boolean().default(false),
  accepted: z.string().optional(),
  replies: z.array(ReplySchema).default([]),
});

const CommunityFileSchema = z
  .object({
    name: z.string().min(3).max(80),
    description: z.string().min(10).max(500),
    kind: z.enum(["region", "sector", "topic"]),
    visibility: z.enum(["open", "members"]),
    members: z.array(slug).default([]),
    threads: z.array(ThreadSchema).default([]),
  })
  .superRefine((community, context) => {
    community.threads.forEach((thread, index) => {
      const keys = new Set(thread.replies.map((reply) => reply.key));
      for (const reply of thread.replies) {
        if (reply.in_reply_to && !keys.has(reply.in_reply_to)) {
          context.addIssue({
            code: "custom",
            path: ["threads", index, "replies"],
            message: `reply "${reply.key}" answers unknown reply "${reply.in_reply_to}"`,
          });
        }
      }
      if (thread.accepted && (!keys.has(thread.accepted) || thread.kind !== "question")) {
        context.addIssue({
          code: "custom",
          path: ["threads", index, "accepted"],
          message: `accepted must name a reply of a question`,
        });
      }
    });
  });

export class CommunitySeedError extends Error {}

type SeedFiles = {
  people: z.infer<typeof PeopleFileSchema>["people"];
  communities: (z.infer<typeof CommunityFileSchema> & { slug: string })[];
};

async function readSeedFiles(root: string): Promise<SeedFiles> {
  const names = (await readdir(root).catch(() => [] as string[])).filter((name) => name.endsWith(".yaml")).sort();
  const problems: string[] = [];
  let people: SeedFiles["people"] = [];
  const communities: SeedFiles["communities"] = [];
  for (const name of names) {
    const file = path.join(root, name);
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, "utf8"));
    } catch (error) {
      problems.push(`${file}: not valid YAML (${(error as Error).message})`);
      continue;
    }
    const schema = name === "people.yaml" ? PeopleFileSchema : CommunityFileSchema;
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${file}: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
      continue;
    }
    if (name === "people.yaml") people = (result.data as z.infer<typeof PeopleFileSchema>).people;
    else
      communities.push({ ...(result.data as z.infer<typeof CommunityFileSchema>), slug: name.replace(/\.yaml$/, "") });
  }
  const known = new Set(people.map((person) => person.username));
  for (const community of communities) {
    const authors = [
      ...community.members,
      ...community.threads.flatMap((thread) => [thread.author, ...thread.replies.map((reply) => reply.author)]),
    ];
    for (const username of new Set(authors)) {
      if (!known.has(username))
        problems.push(`content/communities/${community.slug}.yaml: "${username}" is not in people.yaml`);
    }
  }
  if (problems.length)
    throw new CommunitySeedError(
      `Community seed files have problems:\n${problems.map((line) => `  ${line}`).join("\n")}`,
    );
  return { people, communities };
}

/** Validates every seed file, then adds what is missing in one transaction. */
export async function importCommunities({ root }: { root: string }) {
  const { people, communities } = await readSeedFiles(root);
  return writeTransaction(async (trx) => {
    const report = { people: 0, communities: 0, threads: 0, replies: 0 };
    const userIds = new Map<string, string>();
    for (const person of people) {
      const existing = await trx
        .selectFrom("users")
        .select("id")
        .where("username", "=", person.username)
        .executeTakeFirst();
      if (existing) {
        userIds.set(person.username, existing.id);
        continue;
      }
      const id = randomUUID();
      const now = new Date().toISOString();
      // No password: seed people can never sign in.
      await trx
        .insertInto("users")
        .values({
          id,
          email: `${person.username}@seed.invalid`,
          username: person.username,
          display_name: person.display_name,
          password_hash: null,
          role: person.role,
          organisation: person.organisation ?? null,
          organisation_type: null,
          job_role: person.job_role ?? null,
          side: "buyer",
          bio: null,
          created_at: "2026-01-05T09:00:00.000Z",
          updated_at: now,
          deleted_at: null,
        })
        .execute();
      userIds.set(person.username, id);
      report.people += 1;
    }
    const userId = (username: string) => userIds.get(username)!;

    for (const community of communities) {
      let row = await trx.selectFrom("communities").select("id").where("slug", "=", community.slug).executeTakeFirst();
      if (!row) {
        row = await trx
          .insertInto("communities")
          .values({
            slug: community.slug,
            name: community.name,
            description: community.description,
            kind: community.kind,
            visibility: community.visibility,
            created_by_user_id: null,
            created_at: "2026-01-05T09:00:00.000Z",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        report.communities += 1;
      }
      const communityId = row.id;
      const authors = community.threads.flatMap((thread) => [
        thread.author,
        ...thread.replies.map((reply) => reply.author),
      ]);
      for (const username of new Set([...community.members, ...authors])) {
        await trx
          .insertInto("community_members")
          .values({ community_id: communityId, user_id: userId(username), joined_at: "2026-01-05T09:00:00.000Z" })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const thread of community.threads) {
        const exists = await trx
          .selectFrom("threads")
          .select("id")
          .where("community_id", "=", communityId)
          .where("slug", "=", thread.slug)
          .executeTakeFirst();
        if (exists) continue;
        const lastActivity = [thread.posted, ...thread.replies.map((reply) => reply.posted)].sort().at(-1)!;
        const { id: threadId } = await trx
          .insertInto("threads")
          .values({
            kind: thread.kind,
            community_id: communityId,
            slug: thread.slug,
            title: thread.title,
            author_user_id: userId(thread.author),
            is_pinned: thread.pinned ? 1 : 0,
            reply_count: thread.replies.length,
            last_activity_at: lastActivity,
            created_at: thread.posted,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (thread.themes.length)
          await trx
            .insertInto("thread_themes")
            .values(thread.themes.map((theme) => ({ thread_id: threadId, theme })))
            .execute();
        if (thread.tags.length)
          await trx
            .insertInto("thread_tags")
            .values(thread.tags.map((tag) => ({ thread_id: threadId, tag })))
            .execute();
        const items = thread.items.length
          ? await trx.selectFrom("items").select("id").where("slug", "in", thread.items).execute()
          : [];
        if (items.length)
          await trx
            .insertInto("thread_items")
            .values(items.map((item) => ({ thread_id: threadId, item_id: item.id })))
            .execute();

        const opening = await renderReplyMarkdown(trx, thread.body);
        await trx
          .insertInto("posts")
          .values({
            thread_id: threadId,
            author_user_id: userId(thread.author),
            body_markdown: thread.body,
            body_html: opening.html,
            created_at: thread.posted,
          })
          .execute();
        const postIds = new Map<string, number>();
        for (const reply of thread.replies) {
          const rendered = await renderReplyMarkdown(trx, reply.body);
          const { id } = await trx
            .insertInto("posts")
            .values({
              thread_id: threadId,
              parent_post_id: reply.in_reply_to ? postIds.get(reply.in_reply_to)! : null,
              author_user_id: userId(reply.author),
              body_markdown: reply.body,
              body_html: rendered.html,
              created_at: reply.posted,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          postIds.set(reply.key, id);
          report.replies += 1;
        }
        if (thread.accepted)
          await trx
            .updateTable("threads")
            .set({ accepted_post_id: postIds.get(thread.accepted)! })
            .where("id", "=", threadId)
            .execute();
        report.threads += 1;
      }
    }
    return report;
  });
}
