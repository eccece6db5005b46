import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";

import { readCsv } from "~/datasets/csv.server";
import { type DataTable, DataProblem, tableToCsv } from "~/datasets/data-table";
import { OCDS_TABLES, type OcdsPackage, readOcdsJson, toOcdsPackage } from "~/ocds/ocds.server";
import { escapeHtml } from "~/utils/html";

import { type ChartData, prepareChartData } from "./chart-data";
import { type ChartSpec, ChartSpecSchema } from "./chart-spec";
import { formatCompact, formatExact } from "./format";
import { renderChartSvg } from "./svg.server";

/** A dataset attached to the item being rendered, as the chart renderer needs it. */
export type ChartDataset = {
  fileName: string;
  title: string;
  publisher: string;
  attribution: string;
  format: "csv" | "ocds";
  content: Uint8Array;
};

type RenderedChart = { position: number; title: string; csv: string };
export type ChartProblem = { position: number; line: number | null; message: string };

/** Rows of the table shown under a chart; the CSV download always has them all. */
const TABLE_ROW_LIMIT = 500;

const KIND_LABELS = {
  bar: "Bar chart",
  column: "Column chart",
  line: "Line chart",
  "stacked-bar": "Stacked bar chart",
};

type LoadedDataset = { dataset: ChartDataset; csv?: DataTable; ocds?: OcdsPackage };

/**
 * The renderFence hook for ```chart blocks, plus what the render found: each chart's numbers (for
 * the CSV download) and each broken block's problem (shown inline and reported to the writer).
 */
export function createChartRenderer({
  slug,
  datasets = [],
  markdown = "",
}: {
  slug?: string;
  datasets?: ChartDataset[];
  markdown?: string;
}) {
  const charts: RenderedChart[] = [];
  const problems: ChartProblem[] = [];
  const loaded = new Map<string, LoadedDataset>();
  let position = 0;
  let searchFrom = 0;

  function locate(text: string) {
    const index = markdown.indexOf(text, searchFrom);
    if (index < 0) return null;
    searchFrom = index + text.length;
    // The fence's own line (1-based) is the one before its first line of text.
    return markdown.slice(0, index).split("\n").length - 1;
  }

  function loadDataset(name: string): LoadedDataset {
    const cached = loaded.get(name);
    if (cached) return cached;
    const dataset = datasets.find(
      (candidate) => candidate.fileName === name || candidate.fileName.toLowerCase() === name.toLowerCase(),
    );
    if (!dataset) {
      const known = datasets.map((candidate) => `"${candidate.fileName}"`).join(", ");
      throw new DataProblem(
        `dataset: "${name}" is not attached to this story. ${known ? `Attached datasets: ${known}.` : "No datasets are attached yet: attach one first."}`,
      );
    }
    const entry: LoadedDataset = { dataset };
    if (dataset.format === "csv") entry.csv = readCsv(dataset.content, `"${dataset.fileName}"`).table;
    else
      entry.ocds = toOcdsPackage(
        readOcdsJson(Buffer.from(dataset.content).toString("utf8"), `"${dataset.fileName}"`),
        `"${dataset.fileName}"`,
      );
    loaded.set(name, entry);
    return entry;
  }

  function sourceTable(spec: ChartSpec): { table: DataTable; source: string; dataset?: ChartDataset } {
    if (spec.csv !== undefined) {
      return { table: readCsv(Buffer.from(spec.csv, "utf8"), "the chart's csv:").table, source: "the chart's csv:" };
    }
    const { dataset, csv, ocds } = loadDataset(spec.dataset!);
    const names = Object.keys(OCDS_TABLES).join(", ");
    if (ocds) {
      if (!spec.table)
        throw new DataProblem(`"${dataset.fileName}" is OCDS: say which table: to chart, one of ${names}.`);
      const compute = OCDS_TABLES[spec.table as keyof typeof OCDS_TABLES];
      if (!compute)
        throw new DataProblem(`table: "${spec.table}" is not a table we compute from OCDS. Use one of ${names}.`);
      return { table: compute(ocds), source: `the ${spec.table} table of "${dataset.fileName}"`, dataset };
    }
    if (spec.table && spec.table !== "rows")
      throw new DataProblem(
        `"${dataset.fileName}" is a CSV file: leave out table: (computed tables come from OCDS files).`,
      );
    return { table: csv!, source: `"${dataset.fileName}"`, dataset };
  }

  function renderFence({ lang, text }: { lang: string; text: string }) {
    if (lang !== "chart") return undefined;
    position += 1;
    const line = locate(text);
    const id = `chart-${position}`;
    try {
      let raw: unknown;
      try {
        raw = parseYaml(text);
      } catch (error) {
        throw new DataProblem(
          `the block is not valid YAML: ${error instanceof YAMLParseError ? error.message.split("\n")[0] : String(error)}`,
        );
      }
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new DataProblem(
          "the block should be YAML lines like kind: bar, title: …, dataset: …, label: …, values: …",
        );
      }
      const spec = ChartSpecSchema.parse(raw);
      const { table, source, dataset } = sourceTable(spec);
      const data = prepareChartData(spec, table, source);
      const csv = tableToCsv({
        columns: [data.labelColumn, ...data.series.map((series) => series.name)],
        rows: data.categories.map((category, c) => [
          category,
          ...data.series.map((series) => series.values[c] ?? null),
        ]),
      });
      charts.push({ position, title: spec.title, csv });
      return figureHtml({ id, position, spec, data, dataset, slug });
    } catch (error) {
      const message =
        error instanceof z.ZodError
          ? error.issues
              .map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`)
              .join("; ")
          : error instanceof DataProblem
            ? error.message
            : null;
      if (message === null) throw error;
      problems.push({ position, line, message });
      return errorHtml({ id, position, line, message });
    }
  }

  return { renderFence, charts, problems };
}

function describe(spec: ChartSpec, data: ChartData) {
  const parts = [spec.description ?? ""];
  const count = data.categories.length;
  parts.push(
    `${KIND_LABELS[spec.kind]} of ${data.series.map((series) => series.name).join(" and ")} by ${data.labelColumn}, ${count} ${count === 1 ? "entry" : "entries"}.`,
  );
  if (data.series.length === 1) {
    const points = data.categories
      .map((category, c) => ({ category, value: data.series[0]!.values[c] }))
      .filter((p): p is { category: string; value: number } => p.value !== null && p.value !== undefined);
    if (points.length > 1) {
      const highest = points.reduce((best, point) => (point.value > best.value ? point : best));
      const lowest = points.reduce((best, point) => (point.value < best.value ? point : best));
      parts.push(
        `Highest: ${highest.category}, ${formatCompact(highest.value, spec.units)}. Lowest: ${lowest.category}, ${formatCompact(lowest.value, spec.units)}.`,
      );
    }
  }
  return parts.filter(Boolean).join(" ");
}

function figureHtml({
  id,
  position,
  spec,
  data,
  dataset,
  slug,
}: {
  id: string;
  position: number;
  spec: ChartSpec;
  data: ChartData;
  dataset?: ChartDataset;
  slug?: string;
}) {
  const description = describe(spec, data);
  const svg = renderChartSvg({ id, kind: spec.kind, data, units: spec.units, title: spec.title, description });
  const unitsNote = spec.units === "gbp" ? " (£)" : spec.units === "percent" ? " (%)" : "";
  const shownRows = data.categories.slice(0, TABLE_ROW_LIMIT);
  const head = `<tr><th scope="col">${escapeHtml(data.labelColumn)}</th>${data.series.map((series) => `<th scope="col" align="right">${escapeHtml(series.name)}${series.name.includes("(") ? "" : unitsNote}</th>`).join("")}</tr>`;
  const body = shownRows
    .map(
      (category, c) =>
        `<tr><th scope="row">${escapeHtml(category)}</th>${data.series
          .map((series) => {
            const value = series.values[c];
            return `<td align="right">${value === null || value === undefined ? "no data" : escapeHtml(formatExact(value, spec.units))}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  const more =
    data.categories.length > TABLE_ROW_LIMIT
      ? `<p>Showing the first ${TABLE_ROW_LIMIT} of ${data.categories.length.toLocaleString("en-GB")} rows: the CSV has them all.</p>`
      : "";
  const source = dataset
    ? `<p class="chart__source">Source: ${escapeHtml(dataset.title)} (${escapeHtml(dataset.publisher)}). ${escapeHtml(dataset.attribution)}</p>`
    : `<p class="chart__source">Source: numbers given with this chart in the story.</p>`;
  const download = slug
    ? `<p class="chart__download"><a href="/library/${escapeHtml(slug)}/charts/${position}.csv" download>Download these numbers (CSV)<span class="visually-hidden"> for chart ${position}, ${escapeHtml(spec.title)}</span></a></p>`
    : "";
  return (
    `<figure class="chart" id="${id}">` +
    `<figcaption class="chart__caption"><span class="chart__number">Chart ${position}:</span> ${escapeHtml(spec.title)}</figcaption>` +
    `<div class="chart__image">${svg}</div>` +
    source +
    (spec.note ? `<p class="chart__note">${escapeHtml(spec.note)}</p>` : "") +
    `<details class="chart__data"><summary>Show the numbers in chart ${position} as a table</summary>` +
    `<div class="table-wrap" role="region" tabindex="0" aria-label="Numbers in chart ${position}"><table><caption>${escapeHtml(spec.title)}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>${more}</details>` +
    download +
    `</figure>\n`
  );
}

function errorHtml({
  id,
  position,
  line,
  message,
}: {
  id: string;
  position: number;
  line: number | null;
  message: string;
}) {
  const where = line === null ? "" : ` (the chart block starting on line ${line} of the story's text)`;
  return (
    `<div class="chart-error" id="${id}" role="note">` +
    `<p><strong>Chart ${position} could not be drawn${escapeHtml(where)}.</strong> ${escapeHtml(message)}</p>` +
    `<p>The rest of the story is unaffected. Edit the chart block to fix it.</p></div>\n`
  );
}
