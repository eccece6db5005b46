/** A table of data as read from a file or computed from one: named columns, rows of cells. */
export type Cell = string | number | null;

export type DataTable = {
  columns: string[];
  rows: Cell[][];
  /** The line of the file row i starts on, for messages ("spend.csv, line 12"); absent for computed tables. */
  lineOf?: (row: number) => number | undefined;
};

/** A problem with a dataset or chart that a writer can fix, saying what and where. */
export class DataProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataProblem";
  }
}

/** Writes a table as RFC 4180 CSV (quotes only where needed). */
export function tableToCsv(table: Pick<DataTable, "columns" | "rows">) {
  const quote = (cell: Cell) => {
    const text = cell === null ? "" : String(cell);
    return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}
