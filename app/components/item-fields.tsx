import { ITEM_FIELD_LABELS } from "~/models/item-form";
import type { CaseStudyFields, DataStoryFields, StructuredFields, TipFields } from "~/models/item-schema";
import {
  CONTRACT_CATEGORIES,
  ENGLISH_REGIONS,
  KPI_RATINGS,
  labelFor,
  LIFECYCLE_STAGES,
  NATIONS,
  NOTICES,
  ORGANISATION_TYPES,
  PROCEDURES,
  REGIMES,
  TIP_BASES,
  VALUE_BANDS,
} from "~/models/vocabulary";

/** The type-specific panel of an item page. */
export function ItemFieldsPanel({ fields }: { fields: StructuredFields }) {
  switch (fields.type) {
    case "case-study":
      return <CaseStudyPanel fields={fields} />;
    case "tip":
      return <TipPanel fields={fields} />;
    case "data-story":
      return <DataStoryPanel fields={fields} />;
  }
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="summary-list__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function CaseStudyPanel({ fields }: { fields: CaseStudyFields }) {
  const place = [labelFor(NATIONS, fields.nation), fields.region ? labelFor(ENGLISH_REGIONS, fields.region) : null]
    .filter(Boolean)
    .join(", ");
  return (
    <>
      <section className="fields-panel" aria-labelledby="at-a-glance">
        <h2 id="at-a-glance">At a glance</h2>
        <dl className="summary-list">
          <Row term={ITEM_FIELD_LABELS.organisation_type}>{labelFor(ORGANISATION_TYPES, fields.organisation_type)}</Row>
          <Row term="Where">{place}</Row>
          <Row term={ITEM_FIELD_LABELS.regime}>{labelFor(REGIMES, fields.regime)}</Row>
          <Row term={ITEM_FIELD_LABELS.lifecycle_stages}>
            {fields.lifecycle_stages.map((stage) => labelFor(LIFECYCLE_STAGES, stage)).join(", ")}
          </Row>
          {fields.procedure ? (
            <Row term={ITEM_FIELD_LABELS.procedure}>{labelFor(PROCEDURES, fields.procedure)}</Row>
          ) : null}
          {fields.contract_category ? (
            <Row term={ITEM_FIELD_LABELS.contract_category}>
              {labelFor(CONTRACT_CATEGORIES, fields.contract_category)}
            </Row>
          ) : null}
          {fields.value_band ? (
            <Row term={ITEM_FIELD_LABELS.value_band}>{labelFor(VALUE_BANDS, fields.value_band)}</Row>
          ) : null}
          {fields.notices_used.length > 0 ? (
            <Row term={ITEM_FIELD_LABELS.notices_used}>
              {fields.notices_used.map((notice) => (
                <abbr key={notice} title={labelFor(NOTICES, notice)} className="notice-code">
                  {notice}
                </abbr>
              ))}
            </Row>
          ) : null}
          {fields.social_value_weighting !== undefined ? (
            <Row term={ITEM_FIELD_LABELS.social_value_weighting}>{fields.social_value_weighting}%</Row>
          ) : null}
          {fields.kpi_rating ? (
            <Row term={ITEM_FIELD_LABELS.kpi_rating}>{labelFor(KPI_RATINGS, fields.kpi_rating)}</Row>
          ) : null}
        </dl>
      </section>
      {fields.outcomes.length > 0 ? (
        <section className="fields-panel" aria-labelledby="outcomes">
          <h2 id="outcomes">{ITEM_FIELD_LABELS.outcomes}</h2>
          <div className="table-wrap" role="region" tabIndex={0} aria-labelledby="outcomes">
            <table>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Baseline</th>
                  <th scope="col">Result</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {fields.outcomes.map((outcome) => (
                  <tr key={outcome.measure}>
                    <th scope="row">{outcome.measure}</th>
                    <td>{outcome.baseline}</td>
                    <td>{outcome.result}</td>
                    <td>{outcome.evidence}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}

export function CaseStudyLessons({ fields }: { fields: StructuredFields }) {
  if (fields.type !== "case-study" || fields.lessons.length === 0) return null;
  return (
    <section className="fields-panel" aria-labelledby="key-lessons">
      <h2 id="key-lessons">Key lessons</h2>
      <ul>
        {fields.lessons.map((lesson) => (
          <li key={lesson}>{lesson}</li>
        ))}
      </ul>
    </section>
  );
}

function TipPanel({ fields }: { fields: TipFields }) {
  const { notices, procedures, act_sections } = fields.applies_to;
  return (
    <section className="fields-panel" aria-labelledby="applies-to">
      <h2 id="applies-to">What this applies to</h2>
      <dl className="summary-list">
        {notices.length > 0 ? (
          <Row term="Notices">{notices.map((notice) => labelFor(NOTICES, notice)).join("; ")}</Row>
        ) : null}
        {procedures.length > 0 ? (
          <Row term="Procedures">{procedures.map((p) => labelFor(PROCEDURES, p)).join("; ")}</Row>
        ) : null}
        {act_sections.length > 0 ? <Row term="Procurement Act 2023">{act_sections.join(", ")}</Row> : null}
        <Row term="Based on">{labelFor(TIP_BASES, fields.basis)}</Row>
        {fields.sources.length > 0 ? (
          <Row term={ITEM_FIELD_LABELS.sources}>
            <ul className="plain-list">
              {fields.sources.map((source) => (
                <li key={source.url}>
                  <a href={source.url} rel="noopener noreferrer external" className="external">
                    {source.title}
                    <span className="visually-hidden"> (external link)</span>
                  </a>
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
      </dl>
    </section>
  );
}

function DataStoryPanel({ fields }: { fields: DataStoryFields }) {
  return (
    <section className="fields-panel" aria-labelledby="the-data">
      <h2 id="the-data">The data</h2>
      <ul className="dataset-list">
        {fields.datasets.map((dataset) => (
          <li key={dataset.title}>
            <p className="dataset-list__title">
              <a href={dataset.source_url} rel="noopener noreferrer external" className="external">
                {dataset.title}
                <span className="visually-hidden"> (external link)</span>
              </a>
            </p>
            <p>
              Published by {dataset.publisher}. Licence: {dataset.licence}.
            </p>
            <p className="attribution">{dataset.attribution}</p>
          </li>
        ))}
      </ul>
      <h3>{ITEM_FIELD_LABELS.method}</h3>
      <p className="preserve-lines">{fields.method}</p>
      {fields.caveats.length > 0 ? (
        <>
          <h3>{ITEM_FIELD_LABELS.caveats}</h3>
          <ul>
            {fields.caveats.map((caveat) => (
              <li key={caveat}>{caveat}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
