import { Link } from "@remix-run/react";

import type { DatasetSummary } from "~/models/dataset.server";
import { itemDatasetPath, itemDatasetsPath } from "~/utils/paths";

const FORMAT_LABELS = { csv: "CSV", ocds: "OCDS JSON" } as const;

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString("en-GB")} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The data files behind a story: where each came from, its attribution line, and a download. */
export function DatasetDownloads({
  slug,
  datasets,
  canAttach,
}: {
  slug: string;
  datasets: Pick<
    DatasetSummary,
    | "id"
    | "fileName"
    | "title"
    | "publisher"
    | "sourceUrl"
    | "licence"
    | "attribution"
    | "format"
    | "sizeBytes"
    | "sha256"
  >[];
  canAttach: boolean;
}) {
  if (datasets.length === 0 && !canAttach) return null;
  return (
    <section className="fields-panel datasets" id="datasets" aria-labelledby="datasets-heading">
      <h2 id="datasets-heading">Download the data</h2>
      {datasets.length === 0 ? <p>No data files are attached to this story yet.</p> : null}
      <ul className="dataset-list">
        {datasets.map((dataset) => (
          <li key={dataset.id}>
            <p className="dataset-list__title">{dataset.title}</p>
            <p>
              Published by {dataset.publisher}.{" "}
              <a href={dataset.sourceUrl} rel="noopener noreferrer external" className="external">
                Original source<span className="visually-hidden"> of {dataset.title} (external link)</span>
              </a>
              . Licence: {dataset.licence}.
            </p>
            <p className="attribution">{dataset.attribution}</p>
            <p>
              <a href={itemDatasetPath(slug, dataset.fileName)} download>
                Download {dataset.fileName}
              </a>{" "}
              ({FORMAT_LABELS[dataset.format]}, {formatBytes(dataset.sizeBytes)})
            </p>
            <p className="dataset-list__checksum">
              SHA-256: <code>{dataset.sha256}</code>
            </p>
          </li>
        ))}
      </ul>
      {canAttach ? (
        <p>
          <Link to={itemDatasetsPath(slug)}>Attach or manage datasets</Link>
        </p>
      ) : null}
    </section>
  );
}
