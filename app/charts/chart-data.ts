import { type Cell, type DataTable, DataProblem } from "~/datasets/data-table";

import type { ChartSpec } from "./chart-spec";

type ChartSeries = { name: string; values: (number | null)[] };
export type ChartData = { labelColumn: string; categories: string[]; series: ChartSeries[] };

/** Bars that fit on a phone screen; a longer list needs limit: or group:. */
const MAX_CATEGORIES = 60;
const MAX_LINE_POINTS = 20_000;

/** Finds a column by exact name, then ignoring case, then by a unique prefix ("Total" for "Total (£)"). */
function findColumn(table: DataTable, wanted: string, role: string, source: string) {
  const lower = wanted.toLowerCase();
  let index = table.columns.indexOf(wanted);
  if (index < 0) index = table.columns.findIndex((column) => column.toLowerCase() === lower);
  if (index < 0) {
    const prefixed = table.columns.flatMap((column, i) => (column.toLowerCase().startsWith(lower) ? [i] : []));
    if (prefixed.length === 1) index = prefixed[0]!;
    else if (prefixed.length > 1) {
      throw new DataProblem(
        `${role} "${wanted}" could mean more than one column of ${source}: ${prefixed.map((i) => `"${table.columns[i]}"`).join(", ")}. Use the full name.`,
      );
    }
  }
  if (index < 0) {
    throw new DataProblem(
      `${role} "${wanted}" is not a column of ${source}. Its columns are: ${table.columns.map((column) => `"${column}"`).join(", ")}.`,
    );
  }
  return index;
}

function lineLabel(table: DataTable, row: number) {
  const line = table.lineOf?.(row);
  return line === undefined ? `row ${row + 1}` : `line ${line}`;
}

const GROUP_LABELS = { year: "Year", "financial-year": "Financial year", month: "Month" } as const;

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

const MISSING_MARKERS = new Set(["", "-", "–", "—", "n/a", "na", "..", ":"]);

/** Reads a cell as a number, accepting £, %, thousands separators and (negative) brackets. */
function parseNumberCell(cell: Cell, where: () => string): number | null {
  if (cell === null) return null;
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : null;
  if (PLAIN_NUMBER.test(cell)) return Number(cell);
  let text = cell.trim().replace(/\u00a0/g, "");
  if (MISSING_MARKERS.has(text.toLowerCase())) return null;
  let sign = 1;
  if (/^\(.*\)$/.test(text)) {
    sign = -1;
    text = text.slice(1, -1);
  }
  text = text.replace(/^[-−]/, () => {
    sign *= -1;
    return "";
  });
  text = text
    .replace(/^(?:£|Â£|GBP\s?)/i, "")
    .replace(/%$/, "")
    .trim();
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, "");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) throw new DataProblem(`${where()}: "${cell}" is not a number.`);
  return sign * Number(text);
}

function periodOf(label: string, group: NonNullable<ChartSpec["group"]>, where: () => string) {
  const match = /^(\d{4})(?:-(\d{1,2}))?/.exec(label.trim());
  const year = match ? Number(match[1]) : NaN;
  const month = match?.[2] ? Number(match[2]) : undefined;
  if (!match || (group !== "year" && month === undefined)) {
    throw new DataProblem(
      `${where()}: "${label}" is not a date like ${group === "year" ? "2020 or " : ""}2020-04, so it cannot be grouped by ${group.replace("-", " ")}.`,
    );
  }
  if (group === "year") return String(year);
  if (group === "month") return `${year}-${String(month).padStart(2, "0")}`;
  const start = month! >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** Picks, groups, sorts and limits a table's columns into what a chart draws. */
export function prepareChartData(spec: ChartSpec, table: DataTable, source: string): ChartData {
  const labelIndex = findColumn(table, spec.label, "label:", source);
  const valueIndexes = spec.values.map((value) => findColumn(table, value, "values:", source));
  const where = (row: number, column: number) => () =>
    `${source}, ${lineLabel(table, row)}, column "${table.columns[column]}"`;
  const zeroIsMissing = spec["zero-means-missing"];

  let rows = table.rows.map((row, r) => {
    const values: (number | null)[] = [];
    for (const c of valueIndexes) {
      const cell = row[c] ?? null;
      // Most cells are plain numbers; only build the "where" message for the others.
      const value =
        typeof cell === "string" && PLAIN_NUMBER.test(cell) ? Number(cell) : parseNumberCell(cell, where(r, c));
      values.push(zeroIsMissing && value === 0 ? null : value);
    }
    return { label: row[labelIndex] === null ? "(blank)" : String(row[labelIndex]), values, row: r };
  });

  if (spec.group) {
    const groups = new Map<string, (number | null)[]>();
    for (const row of rows) {
      const key = periodOf(row.label, spec.group, where(row.row, labelIndex));
      const totals = groups.get(key) ?? row.values.map(() => null);
      groups.set(
        key,
        totals.map((total, i) => (row.values[i] === null ? total : (total ?? 0) + row.values[i]!)),
      );
    }
    rows = [...groups.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([label, values], row) => ({
        label,
        values: values.map((v) => (v === null ? null : Math.round(v * 100) / 100)),
        row,
      }));
  }

  const total = (values: (number | null)[]) => values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  if (spec.sort === "descending") rows.sort((a, b) => total(b.values) - total(a.values));
  if (spec.sort === "ascending") rows.sort((a, b) => total(a.values) - total(b.values));
  if (spec.sort === "label") rows.sort((a, b) => a.label.localeCompare(b.label, "en-GB", { numeric: true }));
  if (spec.limit !== undefined) rows = rows.slice(0, spec.limit);

  const categoryLimit = spec.kind === "line" ? MAX_LINE_POINTS : MAX_CATEGORIES;
  if (rows.length > categoryLimit) {
    throw new DataProblem(
      `a ${spec.kind.replace("-", " ")} chart can show at most ${categoryLimit.toLocaleString("en-GB")} ${spec.kind === "line" ? "points" : "bars"}, and this one has ${rows.length.toLocaleString("en-GB")}. Add limit: or group: to the chart.`,
    );
  }
  if (rows.length === 0) throw new DataProblem(`${source} has no rows to chart.`);
  if (spec.kind !== "line") {
    for (const row of rows) {
      const negative = row.values.findIndex((value) => value !== null && value < 0);
      if (negative >= 0)
        throw new DataProblem(
          `"${row.label}" has a negative value in "${spec.values[negative]}": ${spec.kind.replace("-", " ")} charts here show zero or more. Use a line chart.`,
        );
    }
  }
  return {
    labelColumn: spec.group ? GROUP_LABELS[spec.group] : table.columns[labelIndex]!,
    categories: rows.map((row) => row.label),
    series: valueIndexes.map((c, i) => ({ name: table.columns[c]!, values: rows.map((row) => row.values[i]!) })),
  };
}
