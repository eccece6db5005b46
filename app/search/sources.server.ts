import type SQLite from "better-sqlite3";

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

import { plainTextOf, termsOf } from "./analysis";
import type { SearchDocument } from "./documents";

// Reads what search indexes straight from SQLite with prepared statements: the worker thread
// streams the whole library through these, so they avoid per-row query building. Published items
// and threads that are not hidden are searchable: everyone's, except threads of members-only
// communities, which only their members (and moderators) find (decision 0009's rule).

/** Characters of a thread's posts that search indexes and takes snippets from. */
export const MAX_THREAD_TEXT = 50_000;

/**
 * A thread's searchable text: its posts in order, up to MAX_THREAD_TEXT characters, reading
 * only as many as that needs (a busy thread is re-indexed after every reply, and its thousandth
 * reply must not cost a thousand).
 */
export function threadTextOf(postBodies: Iterable<string>) {
  let markdown = "";
  for (const body of postBodies) {
    markdown += markdown ? `\n\n${body}` : body;
    // Plain text is never longer than the markdown it comes from.
    if (markdown.length >= MAX_THREAD_TEXT) break;
  }
  return plainTextOf(markdown).slice(0, MAX_THREAD_TEXT);
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
  let fields: unknown = {};
  try {
    fields = JSON.parse(row.fields_json);
  } catch {
    // A malformed fields column only loses its words from search.
  }
  const details: string[] = [];
  const notes: string[] = [];
  if (fields && typeof fields === "object" && !Array.isArray(fields)) {
    for (const [key, value] of Object.entries(fields)) detailsOf(value, PROSE_FIELDS.has(key) ? notes : details);
  }
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
  };
}

export class SearchSource {
  private readonly itemsAll: SQLite.Statement;
  private readonly itemOne: SQLite.Statement;
  private readonly threadsAll: SQLite.Statement;
  private readonly threadOne: SQLite.Statement;
  private readonly threadPosts: SQLite.Statement;
  private readonly outboxAfter: SQLite.Statement;
  private readonly outboxHead: SQLite.Statement;
  private readonly counts: SQLite.Statement;

  constructor(readonly sqlite: SQLite.Database) {
    this.itemsAll = sqlite.prepare(`${ITEM_SELECT} order by i.id`);
    this.itemOne = sqlite.prepare(`${ITEM_SELECT} and i.id = ?`);
    this.threadsAll = sqlite.prepare(`${THREAD_SELECT} order by t.id`);
    this.threadOne = sqlite.prepare(`${THREAD_SELECT} and t.id = ?`);
    this.threadPosts = sqlite
      .prepare(
        `select body_markdown from posts where thread_id = ? and is_hidden = 0 and deleted_at is null order by created_at, id`,
      )
      .pluck();
    this.outboxAfter = sqlite.prepare(`select id, kind, ref_id from search_outbox where id > ? order by id limit ?`);
    this.outboxHead = sqlite.prepare(`select coalesce(max(id), 0) from search_outbox`).pluck();
    this.counts = sqlite
      .prepare(
        `select (select count(*) from items where status = 'published') || '/' ||
                (select coalesce(max(updated_at), '') from items) || '/' ||
                (select count(*) from threads) || '/' || (select count(*) from posts)`,
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
    for (const row of this.threadsAll.iterate() as Iterable<ThreadRow>) yield this.threadDocument(row);
  }

  item(id: number): SearchDocument | null {
    const row = this.itemOne.get(id) as ItemRow | undefined;
    return row ? itemDocument(row) : null;
  }

  thread(id: number): SearchDocument | null {
    const row = this.threadOne.get(id) as ThreadRow | undefined;
    return row ? this.threadDocument(row) : null;
  }

  private threadDocument(row: ThreadRow): SearchDocument {
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
      body: threadTextOf(this.threadPosts.iterate(row.id) as IterableIterator<string>),
      authors: row.author ? [row.author] : [],
      details: [row.kind === "question" ? "Question" : "Discussion"],
      notes: [],
      membersOnlyCommunity: row.visibility === "open" ? null : row.community_id,
    };
  }
}
