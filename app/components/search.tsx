import { Form, Link, useSubmit } from "@remix-run/react";
import { type ChangeEvent, useEffect, useRef } from "react";

import { ITEM_TYPES, ORGANISATION_TYPES, PROCEDURES, THEMES, VALUE_BANDS } from "~/models/vocabulary";
import type { FacetName } from "~/search/facets";
import type { SearchResult } from "~/search/search.server";
import type { SnippetSegment } from "~/search/snippet";
import { formatDate, isoDay } from "~/utils/dates";

import { ThemeList } from "./taxonomy";

export const FACET_TITLES: Record<FacetName, string> = {
  kind: "Items or discussions",
  type: "Type",
  theme: "Theme",
  tag: "Tag",
  organisationType: "Organisation type",
  procedure: "Procedure",
  valueBand: "Contract value",
};

const FACET_LABELS: Partial<Record<FacetName, Record<string, string>>> = {
  kind: { item: "Library items", discussion: "Discussions" },
  type: { ...ITEM_TYPES, discussion: "Discussion", question: "Question" },
  theme: THEMES,
  organisationType: ORGANISATION_TYPES,
  procedure: PROCEDURES,
  valueBand: VALUE_BANDS,
};

export function facetLabel(name: FacetName, value: string) {
  return FACET_LABELS[name]?.[value] ?? value;
}

/** Text with the matched words in <mark>; React escapes every segment. */
function Highlighted({ segments }: { segments: SnippetSegment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.isMatch ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}

const AS_YOU_TYPE_DELAY_MS = 250;

/**
 * The search box: a plain GET form (works without JavaScript); with JavaScript it searches as
 * you type, replacing the history entry so Back leaves the search rather than each keystroke.
 */
export function SearchForm({ q, hiddenParams }: { q: string; hiddenParams: Array<[string, string]> }) {
  const submit = useSubmit();
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    // Back/forward or a facet link changed the query: show it, unless the reader is typing.
    if (input.current && document.activeElement !== input.current) input.current.value = q;
  }, [q]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function searchAsYouType(event: ChangeEvent<HTMLInputElement>) {
    const form = event.currentTarget.form;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      if (form) submit(form, { replace: true, preventScrollReset: true });
    }, AS_YOU_TYPE_DELAY_MS);
  }

  return (
    <Form
      method="get"
      action="/search"
      role="search"
      aria-label="Search the library and discussions"
      className="search-form"
    >
      <label htmlFor="search-query" className="search-form__label">
        Search case studies, tips, data stories and discussions
      </label>
      <div className="search-form__row">
        <input
          ref={input}
          id="search-query"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={1000}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="search-query-hint"
          onChange={searchAsYouType}
        />
        {hiddenParams.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button">
          Search
        </button>
      </div>
      <p id="search-query-hint" className="search-form__hint">
        Try <code>social value</code>, <code>title:standstill</code>, <code>+uk9 -nhs</code> or <code>procure*</code>.{" "}
        <Link to="/search/help">How search works</Link>
      </p>
    </Form>
  );
}

export function SearchResultList({ results, startAt }: { results: SearchResult[]; startAt: number }) {
  return (
    <ol className="search-results" start={startAt}>
      {results.map((result) => (
        <li key={result.ref}>
          <article className={`search-result search-result--${result.kind}`}>
            <p className="search-result__type">
              {result.typeLabel}
              {result.community ? <span> in {result.community}</span> : null}
            </p>
            <h3 className="search-result__title">
              <Link to={result.href}>
                <Highlighted segments={result.title} />
              </Link>
            </h3>
            <p className="search-result__snippet">
              <Highlighted segments={result.snippet} />
            </p>
            <ThemeList themes={result.themes} />
            <p className="search-result__meta">
              {result.authors.join(", ")}
              {result.authors.length > 0 && result.date ? " · " : null}
              {result.date ? <time dateTime={isoDay(result.date)}>{formatDate(result.date)}</time> : null}
            </p>
          </article>
        </li>
      ))}
    </ol>
  );
}
