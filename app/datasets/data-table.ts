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

// Spreadsheets read a cell that starts with one of these as a formula (OWASP, CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
// A number as written, such as -1250.5 or -3e-7: a spreadsheet reads it as that number, nothing more.
const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A cell as it is safe to hand to a spreadsheet: one that would start a formula gets a leading
 * single quote, so Excel, Calc and Sheets show it as text. Numbers, negative ones included, are left
 * as they are. Applying it twice changes nothing more.
 */
export function neutraliseFormula(text: string) {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Writes a table as RFC 4180 CSV (quotes only where needed), with every cell safe for spreadsheets. */
export function tableToCsv(table: Pick<DataTable, "columns" | "rows">) {
  const quote = (cell: Cell) => {
    const text = cell === null ? "" : neutraliseFormula(String(cell));
    return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}
