import { randomUUID } from "node:crypto";

import { sql } from "kysely";
import { z } from "zod";

import { decoyPasswordHash, hashPassword, verifyPassword } from "~/auth/password.server";
import { db, type DB, writeTransaction } from "~/db/client.server";
import { passwordChangedMessage, signUpAttemptMessage } from "~/mail/account-messages.server";
import { queueMail } from "~/mail/outbox.server";
import type { ProfileInput, SignUpInput } from "~/models/account-schema.server";
import { nowIso } from "~/utils/dates";
import { slugify } from "~/utils/slug";
import { parseStoredJson } from "~/utils/stored-json";

import { revokeAccountTokens } from "./account-token.server";
import { queueAddressConfirmation } from "./email-verification.server";
import { isWrittenBy } from "./item-permissions.server";
import { countEvent } from "./rate-limit.server";

const FORMER_MEMBER_NAME = "Former member";

// Only the credits of a revision's metadata are rewritten when its author leaves; the rest is
// kept exactly as stored, even from an older format, so that leaving never fails on it.
const CreditedMetaSchema = z.looseObject({ authors: z.array(z.looseObject({ name: z.string() })).optional() });

const PROFILE_COLUMNS = [
  "users.id",
  "users.username",
  "users.display_name",
  "users.role",
  "users.organisation",
  "users.organisation_type",
  "users.job_role",
  "users.side",
  "users.bio",
  "users.created_at",
] as const;

/** A username from the display name, unique case-insensitively: "Priya Shah" -> "priya-shah", "priya-shah-2". */
async function uniqueUsername(trx: DB, displayName: string) {
  const base = slugify(displayName).slice(0, 40).replace(/-$/, "");
  const stem = base === "untitled" ? "member" : base;
  const taken = new Set(
    (
      await trx
        .selectFrom("users")
        .select("username")
        .where(sql<string>`lower(username)`, "like", `${stem}%`)
        .execute()
    ).map((row) => row.username.toLowerCase()),
  );
  if (!taken.has(stem)) return stem;
  for (let suffix = 2; ; suffix += 1) {
    if (!taken.has(`${stem}-${suffix}`)) return `${stem}-${suffix}`;
  }
}

/** Someone entering an owner's address on the sign-up form tells the owner this often at most. */
const SIGN_UP_NOTICES_PER_HOUR = 3;

/**
 * Creates a member's account, or, when the email is in use (in any letter case), tells its owner
 * instead. The caller answers both the same way, so the form never says who has an account.
 */
export async function createAccount(input: SignUpInput) {
  // Hash before taking the write lock: argon2id is deliberately slow.
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(async (trx) => {
    const existing = await trx
      .selectFrom("users")
      .select("id")
      .where(sql`email collate nocase`, "=", input.email)
      .executeTakeFirst();
    if (existing) {
      await tellOwnerOfSignUpAttempt(trx, existing.id);
      return { kind: "existing" as const };
    }
    const now = nowIso();
    const user = {
      id: randomUUID(),
      email: input.email.toLowerCase(),
      username: await uniqueUsername(trx, input.displayName),
      display_name: input.displayName,
    };
    await trx
      .insertInto("users")
      .values({
        ...user,
        password_hash: passwordHash,
        organisation: input.organisation,
        organisation_type: input.organisationType,
        job_role: input.jobRole,
        side: input.side,
        created_at: now,
        updated_at: now,
        email_verified_at: null,
      })
      .execute();
    await queueAddressConfirmation(trx, {
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      isChange: false,
    });
    return { kind: "created" as const, user };
  });
}

async function tellOwnerOfSignUpAttempt(trx: DB, userId: string) {
  const owner = await trx
    .selectFrom("users")
    .select(["id", "email", "display_name"])
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!owner) return;
  const notices = await countEvent(trx, `sign-up-notice:account:${owner.id}`, 60 * 60);
  if (notices > SIGN_UP_NOTICES_PER_HOUR) return;
  await queueMail(trx, {
    to: owner.email,
    userId: owner.id,
    kind: "sign-up-attempt",
    message: signUpAttemptMessage({ displayName: owner.display_name }),
  });
}

/**
 * The account matching the email and password, or null. An unknown email still costs one argon2id
 * verification, so the answer takes about as long either way.
 */
export async function authenticate({ email, password }: { email: string; password: string }) {
  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where(sql`email collate nocase`, "=", email)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!user?.password_hash) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.password_hash, password)) ? { id: user.id } : null;
}

export async function getAccount({ userId }: { userId: string }) {
  return db
    .selectFrom("users")
    .select([...PROFILE_COLUMNS, "users.email"])
    .where("users.id", "=", userId)
    .where("users.deleted_at", "is", null)
    .executeTakeFirst();
}

export async function updateProfile({ userId, profile }: { userId: string; profile: ProfileInput }) {
  await db
    .updateTable("users")
    .set({
      display_name: profile.displayName,
      organisation: profile.organisation,
      organisation_type: profile.organisationType,
      job_role: profile.jobRole,
      side: profile.side,
      bio: profile.bio,
      updated_at: nowIso(),
    })
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .execute();
}

/**
 * Changes the password after checking the current one, and ends every other session of the user
 * (a stolen session should not survive the owner changing their password).
 */
export async function changePassword({
  userId,
  currentPassword,
  newPassword,
  keepSessionId,
}: {
  userId: string;
  currentPassword: string;
  newPassword: string;
  keepSessionId: string;
}) {
  const user = await db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirst();
  if (!user?.password_hash || !(await verifyPassword(user.password_hash, currentPassword)))
    return { changed: false as const };
  const passwordHash = await hashPassword(newPassword);
  await writeTransaction(async (trx) => {
    const now = new Date();
    const { email, display_name } = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where("id", "=", userId)
      .returning(["email", "display_name"])
      .executeTakeFirstOrThrow();
    await trx.deleteFrom("sessions").where("user_id", "=", userId).where("id", "!=", keepSessionId).execute();
    // A reset link sent before the change must not undo it.
    await revokeAccountTokens(trx, { userId, purpose: "password-reset", because: "the password was changed", now });
    await queueMail(trx, {
      to: email,
      userId,
      kind: "password-changed",
      message: passwordChangedMessage({ displayName: display_name, changedAt: now, how: "changed" }),
    });
  });
  return { changed: true as const };
}

/** How many sessions the member has besides this one (live or not yet cleared). */
export async function countOtherSessions({ userId, keepSessionId }: { userId: string; keepSessionId: string }) {
  const { n } = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("id", "!=", keepSessionId)
    .where("expires_at", ">", Math.floor(Date.now() / 1000))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Ends every session of the member but this one: no password needed, so a thief cannot stop it. */
export async function endOtherSessions({ userId, keepSessionId }: { userId: string; keepSessionId: string }) {
  const result = await db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id", "!=", keepSessionId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function verifyAccountPassword({ userId, password }: { userId: string; password: string }) {
  const user = await db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirst();
  return user?.password_hash ? verifyPassword(user.password_hash, password) : false;
}

/**
 * Deletes an account: personal details are scrubbed and sign-in becomes impossible, but the row
 * stays so that what they wrote remains, attributed to "Former member" (replies and library items alike).
 */
export async function deleteAccount({ userId }: { userId: string }) {
  const tombstone = `former-member-${randomUUID().slice(0, 8)}`;
  await writeTransaction(async (trx) => {
    const now = nowIso();
    await trx
      .updateTable("users")
      .set({
        email: `${tombstone}@deleted.invalid`,
        username: tombstone,
        display_name: FORMER_MEMBER_NAME,
        password_hash: null,
        role: "member",
        organisation: null,
        organisation_type: null,
        job_role: null,
        side: null,
        bio: null,
        updated_at: now,
        deleted_at: now,
      })
      .where("id", "=", userId)
      .execute();
    await creditFormerMember(trx, userId);
    await trx.deleteFrom("community_members").where("user_id", "=", userId).execute();
    await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
  });
}

/**
 * The author rows that credited a deleted member become "Former member" (their slug carried the
 * name, so it is replaced too), and so do the credits kept in those items' revisions, which the
 * download and history pages show. Pages, the API, feeds and search read the author rows.
 */
async function creditFormerMember(trx: DB, userId: string) {
  const authors = await trx.selectFrom("authors").select(["id", "name"]).where("user_id", "=", userId).execute();
  for (const author of authors) {
    await trx
      .updateTable("authors")
      .set({
        name: FORMER_MEMBER_NAME,
        slug: `former-member-${randomUUID().slice(0, 8)}`,
        organisation: null,
        role: null,
        user_id: null,
      })
      .where("id", "=", author.id)
      .execute();
    const revisions = await trx
      .selectFrom("item_revisions")
      .select(["id", "meta_json"])
      .where("item_id", "in", trx.selectFrom("item_authors").select("item_id").where("author_id", "=", author.id))
      .execute();
    for (const revision of revisions) {
      const meta = parseStoredJson(CreditedMetaSchema, revision.meta_json, `The metadata of revision ${revision.id}`);
      if (!meta.authors?.some((credit) => credit.name === author.name)) continue;
      meta.authors = meta.authors.map((credit) =>
        credit.name === author.name ? { name: FORMER_MEMBER_NAME } : credit,
      );
      await trx
        .updateTable("item_revisions")
        .set({ meta_json: JSON.stringify(meta) })
        .where("id", "=", revision.id)
        .execute();
    }
  }
}

/** A member's public profile with what they have published and said in open spaces. */
/** The username of the member an author's credits belong to, unless there is none or it was deleted. */
export async function findMemberUsernameForAuthor({ authorUserId }: { authorUserId: string }) {
  const member = await db
    .selectFrom("users")
    .select("username")
    .where("id", "=", authorUserId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return member?.username ?? null;
}

export async function getPublicProfile({ username }: { username: string }) {
  const user = await db
    .selectFrom("users")
    .select(PROFILE_COLUMNS)
    .where(sql`username collate nocase`, "=", username)
    .where("users.deleted_at", "is", null)
    .executeTakeFirst();
  if (!user) return null;
  const author = await db.selectFrom("authors").select(["slug"]).where("user_id", "=", user.id).executeTakeFirst();
  const posts = await db
    .selectFrom("posts")
    .innerJoin("threads", "threads.id", "posts.thread_id")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .select([
      "posts.id",
      "posts.body_markdown",
      "posts.created_at",
      "threads.id as threadId",
      "threads.title as threadTitle",
      "threads.slug as threadSlug",
    ])
    .where("posts.author_user_id", "=", user.id)
    .where("posts.is_hidden", "=", 0)
    .where("posts.deleted_at", "is", null)
    .where("threads.is_hidden", "=", 0)
    .where((eb) => eb.or([eb("threads.community_id", "is", null), eb("communities.visibility", "=", "open")]))
    .orderBy("posts.created_at", "desc")
    .limit(20)
    .execute();
  return {
    user,
    authorSlug: author?.slug ?? null,
    posts: posts.map(({ body_markdown, ...post }) => ({
      ...post,
      excerpt: body_markdown.length > 240 ? `${body_markdown.slice(0, 240).trimEnd()}…` : body_markdown,
    })),
  };
}

/** Everything the member wrote, as plain data for "download my data". */
export async function exportAccountData({ userId }: { userId: string }) {
  const profile = await db
    .selectFrom("users")
    .select([
      "id",
      "email",
      "username",
      "display_name",
      "role",
      "organisation",
      "organisation_type",
      "job_role",
      "side",
      "bio",
      "created_at",
      "updated_at",
    ])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const items = await db
    .selectFrom("items")
    .select([
      "id",
      "type",
      "slug",
      "title",
      "summary",
      "body_markdown",
      "status",
      "licence",
      "published_at",
      "created_at",
      "updated_at",
    ])
    .where((eb) => isWrittenBy(eb, userId))
    .orderBy("created_at")
    .execute();
  const itemRevisions = await db
    .selectFrom("item_revisions")
    .select(["item_id", "version", "title", "summary", "body_markdown", "note", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  const threads = await db
    .selectFrom("threads")
    .select(["id", "kind", "slug", "title", "created_at"])
    .where("author_user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  const posts = await db
    .selectFrom("posts")
    .innerJoin("threads", "threads.id", "posts.thread_id")
    .select([
      "posts.id",
      "posts.thread_id",
      "threads.title as thread_title",
      "posts.body_markdown",
      "posts.created_at",
      "posts.edited_at",
      "posts.deleted_at",
    ])
    .where("posts.author_user_id", "=", userId)
    .orderBy("posts.created_at")
    .execute();
  const communities = await db
    .selectFrom("community_members")
    .innerJoin("communities", "communities.id", "community_members.community_id")
    .select(["communities.slug", "communities.name", "community_members.joined_at"])
    .where("community_members.user_id", "=", userId)
    .execute();
  return { exportedAt: nowIso(), profile, items, itemRevisions, threads, posts, communities };
}

/** Makes an existing member an admin. Returns false when no live account has that email. */
export async function promoteToAdmin({ email }: { email: string }) {
  const result = await db
    .updateTable("users")
    .set({ role: "admin", updated_at: nowIso() })
    .where(sql`email collate nocase`, "=", email.trim())
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
