import { NOTICES, SEARCH_SYNONYMS } from "~/models/vocabulary";

import { termFor, wordsOf } from "./analysis";
import type { QueryClause, QueryWord, SearchField } from "./query-parser";

// The domain's other names for things (SEARCH_SYNONYMS, and each notice's code and name): a
// search for one form of an entry also searches for the others, each as a phrase, and tells the
// reader so ("also searched for ..."). Forms are compared by their index terms, so "KPIs" is "KPI".

type Form = { text: string; terms: string[]; offsets: number[] };

const MAX_ADDED_FORMS = 8;

function formOf(text: string): Form {
  const terms: string[] = [];
  const offsets: number[] = [];
  wordsOf(text).forEach((word, offset) => {
    const term = termFor(word);
    if (term === null) return;
    terms.push(term);
    offsets.push(offset);
  });
  const first = offsets[0] ?? 0;
  return { text, terms, offsets: offsets.map((offset) => offset - first) };
}

const ENTRIES: Form[][] = [
  ...SEARCH_SYNONYMS,
  ...Object.entries(NOTICES).map(([code, label]) => [code, label.replace(code, "").trim().toLowerCase()]),
]
  .map((forms) => forms.map(formOf))
  .map((forms) => forms.filter((form) => form.terms.length > 0));

const sameTerms = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((term, index) => term === b[index]);

/** True when `inner`'s terms appear together, in order, within `outer`'s. */
function contains(outer: Form, inner: Form) {
  for (let start = 0; start + inner.terms.length <= outer.terms.length; start += 1) {
    if (inner.terms.every((term, index) => outer.terms[start + index] === term)) return true;
  }
  return false;
}

/** The entry's other forms worth searching for: none that only narrows what was typed or another form. */
function otherForms(entry: Form[], matched: Form) {
  const others = entry.filter((form) => form !== matched && !contains(form, matched));
  return others.filter((form) => !others.some((other) => other !== form && contains(form, other)));
}

function queryWordsOf(form: Form, clause: { presence: QueryWord["presence"]; field: SearchField | null }) {
  return form.terms.map<QueryWord>((term, index) => ({
    word: term,
    term,
    presence: clause.presence,
    field: clause.field,
    isPrefix: false,
    phrase: null,
    offset: form.offsets[index]!,
  }));
}

/** A clause's typed words as a form, if it is plain enough to have other names. */
function typedForm(clause: QueryClause): Form | null {
  const typed = clause.forms[0];
  if (clause.forms.length !== 1 || !typed || typed.words.some((word) => word.isPrefix || word.term === null)) {
    return null;
  }
  const first = typed.words[0]!.offset;
  return {
    text: typed.words.map((word) => word.word).join(" "),
    terms: typed.words.map((word) => word.term!),
    offsets: typed.words.map((word) => word.offset - first),
  };
}

/**
 * Adds each clause's other names as further forms of it (so `+DPS` requires either name, and
 * `-DPS` excludes both), and for a run of separate words that is another name ("key performance
 * indicators"), one more optional clause. Returns what was added, as the reader would write it.
 */
export function addSynonyms(clauses: QueryClause[]): string[] {
  const added: string[] = [];
  let budget = MAX_ADDED_FORMS;
  const addForms = (clause: QueryClause, forms: Form[]) => {
    for (const form of forms) {
      if (budget <= 0) return;
      budget -= 1;
      clause.forms.push({ words: queryWordsOf(form, clause), isSynonym: true });
      if (clause.presence !== "prohibited" && !added.includes(form.text)) added.push(form.text);
    }
  };

  const typed = clauses.map(typedForm);
  typed.forEach((form, position) => {
    if (!form) return;
    for (const entry of ENTRIES) {
      const matched = entry.find(
        (candidate) =>
          sameTerms(candidate.terms, form.terms) &&
          (form.terms.length === 1 || candidate.offsets.every((offset, index) => offset === form.offsets[index])),
      );
      if (matched) {
        addForms(clauses[position]!, otherForms(entry, matched));
        return;
      }
    }
  });

  // Runs of optional single words, longest first: "competitive flexible procedure" typed unquoted.
  const isLoose = (position: number) => {
    const clause = clauses[position];
    return (
      clause !== undefined &&
      clause.presence === "optional" &&
      typed[position] !== null &&
      typed[position]!.terms.length === 1 &&
      clause.forms[0]!.words[0]!.phrase === null
    );
  };
  const extra: QueryClause[] = [];
  for (let start = 0; start < clauses.length; start += 1) {
    if (!isLoose(start)) continue;
    let end = start;
    while (isLoose(end + 1) && clauses[end + 1]!.field === clauses[start]!.field) end += 1;
    for (let last = end; last > start; last -= 1) {
      const terms = typed.slice(start, last + 1).map((form) => form!.terms[0]!);
      const entry = ENTRIES.find((forms) => forms.some((form) => sameTerms(form.terms, terms)));
      if (!entry) continue;
      const matched = entry.find((form) => sameTerms(form.terms, terms))!;
      const clause: QueryClause = {
        presence: "optional",
        field: clauses[start]!.field,
        forms: [],
        standsFor: Array.from({ length: last - start + 1 }, (_, offset) => start + offset),
      };
      addForms(clause, otherForms(entry, matched));
      if (clause.forms.length > 0) extra.push(clause);
      start = last;
      break;
    }
  }
  clauses.push(...extra);
  return added;
}
