import { createHash } from "node:crypto";

import { readOcdsJson, stripContactPoints, toOcdsPackage } from "~/ocds/ocds.server";

import { readCsv } from "./csv.server";
import { DataProblem } from "./data-table";

export const DATASET_MAX_BYTES = 5 * 1024 * 1024;

/** A dataset checked and ready to store: the bytes as they will be published, and what we noticed. */
export type PreparedDataset = {
  fileName: string;
  format: "csv" | "ocds";
  mediaType: string;
  content: Buffer;
  sizeBytes: number;
  sha256: string;
  notes: string[];
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A safe, readable file name: lower-case words and hyphens, keeping a .csv or .json ending. */
function datasetFileName(original: string) {
  const base = original.split(/[\\/]/).pop() ?? "";
  const match = /^(.*?)(\.[a-z0-9]+)?$/i.exec(base.trim());
  const stem = (match?.[1] ?? "")
    .normalize("NFKD")
    .replace(/[^\w.\s-]/g, "")
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[^a-z0-9.-]/g, "")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 80);
  const extension = (match?.[2] ?? "").toLowerCase();
  return `${stem || "dataset"}${extension}`;
}

/**
 * Checks a CSV or OCDS JSON file and prepares it for storing. OCDS has its contact points
 * (people's names, emails, phones) removed before it is stored, so they are never republished.
 * Throws a DataProblem saying what is wrong and where.
 */
export function prepareDataset({ fileName, bytes }: { fileName: string; bytes: Uint8Array }): PreparedDataset {
  const name = datasetFileName(fileName);
  if (bytes.byteLength === 0) throw new DataProblem(`${name} is empty.`);
  if (bytes.byteLength > DATASET_MAX_BYTES) {
    throw new DataProblem(
      `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; a dataset can be at most 5 MB.`,
    );
  }
  const extension = name.slice(name.lastIndexOf(".") + 1);
  if (extension === "csv") {
    const { notes } = readCsv(bytes, name);
    const content = Buffer.from(bytes);
    return {
      fileName: name,
      format: "csv",
      mediaType: "text/csv; charset=utf-8",
      content,
      sizeBytes: content.byteLength,
      sha256: sha256(content),
      notes,
    };
  }
  if (extension === "json") {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new DataProblem(`${name} is not UTF-8 text, so it cannot be JSON. Save it as UTF-8 and try again.`);
    }
    const json = readOcdsJson(text, name);
    toOcdsPackage(json, name);
    const removed = stripContactPoints(json);
    const content = removed > 0 ? Buffer.from(`${JSON.stringify(json, null, 2)}\n`, "utf8") : Buffer.from(bytes);
    const notes =
      removed > 0
        ? [
            `Removed ${removed} contact point${removed === 1 ? "" : "s"} (names, emails, phone numbers) before storing ${name}.`,
          ]
        : [];
    return {
      fileName: name,
      format: "ocds",
      mediaType: "application/json; charset=utf-8",
      content,
      sizeBytes: content.byteLength,
      sha256: sha256(content),
      notes,
    };
  }
  throw new DataProblem(
    `${name} is neither a .csv file nor an OCDS .json file. Attach a CSV, or an OCDS release or record package.`,
  );
}
