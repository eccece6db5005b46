import { CsvError, parse } from "csv-parse/sync";

import { type DataTable, DataProblem } from "./data-table";

export type CsvReadResult = { table: DataTable; notes: string[] };

// Text that was UTF-8, read as Windows-1252 and saved again as UTF-8 ("Â£" for "£").
const MOJIBAKE: [RegExp, string][] = [
  [/Â£/, "£"],
  [/â‚¬/, "€"],
  [/â€“/, "–"],
  [/â€”/, "—"],
  [/â€™/, "’"],
  [/â€œ/, "“"],
  [/â€\u009d|â€\u201d/, "”"],
  [/Â /, " "],
];

/** Decodes CSV bytes: UTF-8 (with or without a byte-order mark), else Windows-1252, saying so. */
function decode(bytes: Uint8Array, name: string, notes: string[]) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    notes.push(
      `${name} is not UTF-8 text, so it was read as Windows-1252 (Latin-1). Check that £ signs and accents look right.`,
    );
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function looksBinary(text: string) {
  const sample = text.slice(0, 64 * 1024);
  const firstNul = sample.indexOf("\u0000");
  if (firstNul >= 0) return firstNul;
  let control = 0;
  for (const character of sample) {
    const code = character.codePointAt(0)!;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) control += 1;
  }
  return control > sample.length / 100 ? 0 : -1;
}

/**
 * Reads a CSV file into a table of text cells. Repairs a mis-encoded header ("Â£"), and
 * rejects what it cannot read with a message naming the line and what is wrong.
 */
export function readCsv(bytes: Uint8Array, name: string): CsvReadResult {
  const notes: string[] = [];
  if (bytes.byteLength === 0) throw new DataProblem(`${name} is empty.`);
  let text = decode(bytes, name, notes).replace(/^\uFEFF/, "");
  const binaryAt = looksBinary(text);
  if (binaryAt >= 0) {
    throw new DataProblem(
      `${name} does not look like a CSV file: it contains binary data (near character ${binaryAt + 1}). Save it as "CSV (UTF-8)" and try again.`,
    );
  }
  for (const [pattern, replacement] of MOJIBAKE) {
    const found = pattern.exec(text);
    if (found) {
      const line = text.slice(0, found.index).split("\n").length;
      notes.push(`${name}, line ${line}: repaired mis-encoded text ("${found[0]}" read as "${replacement}").`);
      text = text.replace(new RegExp(pattern.source, "g"), replacement);
    }
  }

  const options = { relax_column_count: true, skip_empty_lines: true } as const;
  let records: string[][];
  try {
    records = parse(text, options);
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const reason =
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? "a quoted cell is never closed"
          : error.message.replace(/^Invalid [^:]*: /, "");
      throw new DataProblem(`${name}${line ? `, line ${line}` : ""}: the CSV could not be read: ${reason}.`);
    }
    throw error;
  }
  // Line numbers are only needed for messages, so they are worked out (by a second, slower
  // pass that records them) only when a message needs one.
  let lines: number[] | undefined;
  const lineOfRecord = (index: number) => {
    lines ??= (parse(text, { ...options, info: true }) as unknown as { info: { lines: number } }[]).map(
      (record) => record.info.lines,
    );
    return lines[index];
  };
  const [header, ...body] = records;
  if (!header) throw new DataProblem(`${name} has no header row.`);
  const columns = header.map((cell) => cell.trim());
  columns.forEach((column, index) => {
    if (column === "")
      throw new DataProblem(`${name}, line ${lineOfRecord(0)}: column ${index + 1} has no name in the header row.`);
    const first = columns.indexOf(column);
    if (first !== index)
      throw new DataProblem(
        `${name}, line ${lineOfRecord(0)}: two columns are called "${column}" (columns ${first + 1} and ${index + 1}).`,
      );
  });
  if (body.length === 0) throw new DataProblem(`${name} has a header row but no data rows.`);
  const ragged = body.findIndex((record) => record.length !== columns.length);
  if (ragged >= 0) {
    const cells = body[ragged]!.length;
    throw new DataProblem(
      `${name}, line ${lineOfRecord(ragged + 1)}: this row has ${cells} cell${cells === 1 ? "" : "s"}, but the header has ${columns.length} columns. Check for a missing or extra comma, or an unquoted comma inside a value.`,
    );
  }
  return {
    table: {
      columns,
      rows: body.map((record) =>
        record.map((cell) => {
          const trimmed = cell.trim();
          return trimmed === "" ? null : trimmed;
        }),
      ),
      lineOf: (row) => lineOfRecord(row + 1),
    },
    notes,
  };
}
