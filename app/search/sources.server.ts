import type SQLite from "better-sqlite3";
import { z } from "zod";

import {
  CONTRACT_CATEGORIES,
  ITEM_TYPES,
  KPI_RATINGS,
  LIFECYCLE_STAGES,
  NATIONS,
  NOTICES,
  ORGANISATION_TYPES,
  PROCEDURES,
  REGIMES,
  ENGLISH_REGIONS,
  TIP_BASES,
  VALUE_BANDS,
} from "~/models/vocabulary";
import { readStoredJson } from "~/utils/stored-json";

import { plainTextOf, termsOf } from "./analysis";
import type { SearchDocument } from "./documents";
import { partRef } from "./parts";

// Reads what search indexes straight from SQLite with prepared statements: the worker thread
// streams the whole library through these, so they avoid per-row query building. Published items
// and threads that are not hidden are searchable: everyone's, except threads of members-only
// communities, which only their members (and moderators) find (decision 0009's rule).

/** Characters of markdown a thread's own document holds: its first posts, whole. */
export const MAX_THREAD_TEXT = 50_000;

/**
 * The text of a thread's own document: its first posts, whole, in order (the first always), up
 * to MAX_THREAD_TEXT characters of markdown. Every later post is a document of its own (a part of
 * the thread), so that a reply to a busy thread adds one small document instead of re-reading and
 * re-indexing a thousand replies.
 */
export function threadTextOf(postBodies: Iterable<string>) {
  let markdown = "";
  for (const body of postBodies) {
    const next = markdown ? `${markdown}\n\n${body}` : body;
    if (markdown && next.length > MAX_THREAD_TEXT) break;
    markdown = next;
  }
  return plainTextOf(markdown);
}

// Where each post of a thread falls: the thread's own document (the first, and those within
// MAX_THREAD_TEXT characters of markdown, counting the blank line between posts) or a part.
const POST_LAYOUT = `
  select id, created_at, edited_at,
         row_number() over (order by created_at, id) as position,
         sum(length(body_markdown) + 2) over (order by created_at, id) - 2 as text_end
  from posts where thread_id = ? and is_hidden = 0 and deleted_at is null`;

type PostPlace = { id: number; created_at: string; edited_at: string | null; position: number; text_end: number };
type PostRow = {
  id: number;
  body_markdown: string;
  created_at: string;
  edited_at: string | null;
  author: string | null;
};

const isInThreadDocument = (post: Pick<PostPlace, "position" | "text_end">) =>
  post.position === 1 || post.text_end <= MAX_THREAD_TEXT;

/** A short fingerprint of the thread-level text every part repeats, so a part is re-read only when it or its thread changed. */
function fingerprintOf(text: string) {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at += 1) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return (hash >>> 0).toString(36);
}

const LABELS = new Map<string, string>(
  [
    CONTRACT_CATEGORIES,
    ITEM_TYPES,
    KPI_RATINGS,
    LIFECYCLE_STAGES,
    NATIONS,
    NOTICES,
    ORGANISATION_TYPES,
    PROCEDURES,
    REGIMES,
    ENGLISH_REGIONS,
    TIP_BASES,
    VALUE_BANDS,
  ].flatMap((vocabulary) => Object.entries(vocabulary)),
);

const ITEM_SELECT = `
  select i.id, i.type, i.title, i.summary, i.body_markdown, i.fields_json, i.organisation_type,
         i.procedure, i.value_band, coalesce(i.published_at, i.updated_at) as date,
         (select group_concat(theme, char(31)) from item_themes where item_id = i.id) as themes,
         (select group_concat(tag, char(31)) from item_tags where item_id = i.id) as tags,
         (select group_concat(a.name || coalesce(char(30) || a.organisation, ''), char(31))
            from item_authors ia join authors a on a.id = ia.author_id where ia.item_id = i.id) as authors
  from items i where i.status = 'published'`;

const THREAD_SELECT = `
  select t.id, t.kind, t.title, t.last_activity_at as date, c.name as community, c.id as community_id,
         c.visibility, u.display_name as author,
         (select group_concat(theme, char(31)) from thread_themes where thread_id = t.id) as themes,
         (select group_concat(tag, char(31)) from thread_tags where thread_id = t.id) as tags
  from threads t
  join communities c on c.id = t.community_id
  left join users u on u.id = t.author_user_id and u.deleted_at is null
  where t.kind in ('discussion', 'question') and t.is_hidden = 0`;

type ItemRow = {
  id: number;
  type: string;
  title: string;
  summary: string;
  body_markdown: string;
  fields_json: string;
  organisation_type: string | null;
  procedure: string | null;
  value_band: string | null;
  date: string;
  themes: string | null;
  tags: string | null;
  authors: string | null;
};

type ThreadRow = {
  id: number;
  kind: string;
  title: string;
  date: string;
  community: string;
  community_id: number;
  visibility: string;
  author: string | null;
  themes: string | null;
  tags: string | null;
};

const list = (joined: string | null) => (joined ? joined.split("\u001f") : []);

// Structured fields that hold prose, indexed with the body rather than with the short details.
const PROSE_FIELDS = new Set(["outcomes", "lessons", "method", "caveats", "datasets", "sources"]);

/** Each structured value as its own text: a slug's label (and the slug, when it says something the label does not). */
function detailsOf(value: unknown, into: string[]) {
  if (typeof value === "string") {
    const label = LABELS.get(value);
    if (!label) into.push(value);
    else {
      into.push(label);
      const labelTerms = new Set(termsOf(label));
      if (!termsOf(value).every((term) => labelTerms.has(term))) into.push(value);
    }
  } else if (typeof value === "number") {
    into.push(String(value));
  } else if (Array.isArray(value)) {
    for (const entry of value) detailsOf(entry, into);
  } else if (value && typeof value === "object") {
    for (const [key, entry] of Object.entries(value))
      if (key !== "source_url" && key !== "file") detailsOf(entry, into);
  }
  return into;
}

function itemDocument(row: ItemRow): SearchDocument {
  const authors = list(row.authors).map((entry) => entry.split("\u001e"));
  // Every stored field's words are found, whatever its shape; a malformed column only loses them.
  const fields = readStoredJson(z.record(z.string(), z.unknown()), row.fields_json) ?? {};
  const details: string[] = [];
  const notes: string[] = [];
  for (const [key, value] of Object.entries(fields)) detailsOf(value, PROSE_FIELDS.has(key) ? notes : details);
  details.push(...authors.flatMap(([, organisation]) => (organisation ? [organisation] : [])));
  return {
    ref: `item:${row.id}`,
    kind: "item",
    type: row.type,
    date: row.date,
    themes: list(row.themes),
    tags: list(row.tags),
    organisationType: row.organisation_type,
    procedure: row.procedure,
    valueBand: row.value_band,
    title: row.title,
    summary: row.summary,
    body: plainTextOf(row.body_markdown),
    authors: authors.map(([name]) => name ?? ""),
    details,
    notes,
    membersOnlyCommunity: null,
    version: null,
  };
}

export class SearchSource {
  private readonly itemsAll: SQLite.Statement;
  private readonly itemOne: SQLite.Statement;
  private readonly threadsAll: SQLite.Statement;
  private readonly threadOne: SQLite.Statement;
  private readonly postLayout: SQLite.Statement;
  private readonly keptPosts: SQLite.Statement;
  private readonly partPosts: SQLite.Statement;
  private readonly onePost: SQLite.Statement;
  private readonly outboxAfter: SQLite.Statement;
  private readonly outboxHead: SQLite.Statement;
  private readonly counts: SQLite.Statement;

  constructor(readonly sqlite: SQLite.Database) {
    this.itemsAll = sqlite.prepare(`${ITEM_SELECT} order by i.id`);
    this.itemOne = sqlite.prepare(`${ITEM_SELECT} and i.id = ?`);
    this.threadsAll = sqlite.prepare(`${THREAD_SELECT} order by t.id`);
    this.threadOne = sqlite.prepare(`${THREAD_SELECT} and t.id = ?`);
    this.postLayout = sqlite.prepare(`${POST_LAYOUT} order by created_at, id`);
    this.keptPosts = sqlite
      .prepare(
        `select body_markdown from (${POST_LAYOUT.replace("select id,", "select id, body_markdown,")}) as laid_out
         where position = 1 or text_end <= ? order by position`,
      )
      .pluck();
    this.partPosts = sqlite.prepare(
      `select laid_out.id, laid_out.body_markdown, laid_out.created_at, laid_out.edited_at, u.display_name as author
       from (${POST_LAYOUT.replace("select id,", "select id, body_markdown, author_user_id,")}) as laid_out
       left join users u on u.id = laid_out.author_user_id and u.deleted_at is null
       where laid_out.position > 1 and laid_out.text_end > ? order by laid_out.position`,
    );
    this.onePost = sqlite.prepare(
      `select p.id, p.body_markdown, p.created_at, p.edited_at, u.display_name as author from posts p
       left join users u on u.id = p.author_user_id and u.deleted_at is null
       where p.id = ? and p.thread_id = ? and p.is_hidden = 0 and p.deleted_at is null`,
    );
    this.outboxAfter = sqlite.prepare(`select id, kind, ref_id from search_outbox where id > ? order by id limit ?`);
    this.outboxHead = sqlite.prepare(`select coalesce(max(id), 0) from search_outbox`).pluck();
    // Counts and highest ids, each answered from an index: max(updated_at) read every item's row
    // (seconds at 100k items) on each start.
    this.counts = sqlite
      .prepare(
        `select (select count(*) from items where status = 'published') || '/' ||
                (select coalesce(max(id), 0) from items) || '/' ||
                (select count(*) from threads) || '/' || (select coalesce(max(id), 0) from threads) || '/' ||
                (select count(*) from posts) || '/' || (select coalesce(max(id), 0) from posts)`,
      )
      .pluck();
  }

  /** Counts that change with the content, to notice a snapshot that belongs to another database. */
  signature() {
    return String(this.counts.get());
  }

  outboxHeadId() {
    return Number(this.outboxHead.get());
  }

  readOutbox(afterId: number, limit: number) {
    return this.outboxAfter.all(afterId, limit) as Array<{ id: number; kind: "item" | "thread"; ref_id: number }>;
  }

  countDocuments() {
    return Number(
      this.sqlite
        .prepare(`select (select count(*) from items where status = 'published') + (select count(*) from threads)`)
        .pluck()
        .get(),
    );
  }

  *allDocuments(): Generator<SearchDocument> {
    for (const row of this.itemsAll.iterate() as Iterable<ItemRow>) yield itemDocument(row);
    for (const row of this.threadsAll.iterate() as Iterable<ThreadRow>) {
      yield this.threadDocument(row);
      for (const post of this.partPosts.iterate(row.id, MAX_THREAD_TEXT) as Iterable<PostRow>) {
        yield this.partDocument(row, post);
      }
    }
  }

  item(id: number): SearchDocument | null {
    const row = this.itemOne.get(id) as ItemRow | undefined;
    return row ? itemDocument(row) : null;
  }

  thread(id: number): SearchDocument | null {
    const row = this.threadOne.get(id) as ThreadRow | undefined;
    return row ? this.threadDocument(row) : null;
  }

  /**
   * A thread's own document and the parts that changed since `known` (part ref -> version), with
   * the known parts that are gone. Reads the body only of posts whose part is new or changed.
   */
  threadChanges(id: number, known: ReadonlyMap<string, string>) {
    const row = this.threadOne.get(id) as ThreadRow | undefined;
    if (!row) return { upserts: [], removals: [`thread:${id}`, ...known.keys()] };
    const upserts = [this.threadDocument(row)];
    const live = new Set<string>();
    for (const place of this.postLayout.iterate(id) as Iterable<PostPlace>) {
      if (isInThreadDocument(place)) continue;
      const ref = partRef(id, place.id);
      live.add(ref);
      if (known.get(ref) === this.versionOf(row, place)) continue;
      const post = this.onePost.get(place.id, id) as PostRow | undefined;
      if (post) upserts.push(this.partDocument(row, post));
    }
    return { upserts, removals: [...known.keys()].filter((ref) => !live.has(ref)) };
  }

  private versionOf(row: ThreadRow, post: Pick<PostPlace, "created_at" | "edited_at">) {
    const thread = [row.title, row.kind, row.community_id, row.visibility, row.community, row.themes, row.tags];
    return `${post.edited_at ?? post.created_at}|${fingerprintOf(JSON.stringify(thread))}`;
  }

  /** One later post of a thread as a document of its own, with the thread's title, tags and audience. */
  private partDocument(row: ThreadRow, post: PostRow): SearchDocument {
    const thread = this.threadDocument(row, { withText: false });
    return {
      ...thread,
      ref: partRef(row.id, post.id),
      date: post.created_at,
      body: plainTextOf(post.body_markdown),
      authors: post.author ? [post.author] : [],
      version: this.versionOf(row, post),
    };
  }

  private threadDocument(row: ThreadRow, { withText = true }: { withText?: boolean } = {}): SearchDocument {
    return {
      ref: `thread:${row.id}`,
      kind: "discussion",
      type: row.kind,
      date: row.date,
      themes: list(row.themes),
      tags: list(row.tags),
      organisationType: null,
      procedure: null,
      valueBand: null,
      title: row.title,
      summary: row.community,
      body: withText ? threadTextOf(this.keptPosts.iterate(row.id, MAX_THREAD_TEXT) as IterableIterator<string>) : "",
      authors: row.author ? [row.author] : [],
      details: [row.kind === "question" ? "Question" : "Discussion"],
      notes: [],
      membersOnlyCommunity: row.visibility === "open" ? null : row.community_id,
      version: null,
    };
  }
}
