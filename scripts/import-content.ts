import path from "node:path";

import { ContentValidationError, syncContent } from "~/models/content-sync.server";

import { runImport } from "./support/run-import";

const root = path.resolve(process.argv[2] ?? "content");

await runImport(
  async () => {
    const report = await syncContent({ root });
    const lines = [
      ...report.added.map((file) => `  added     ${file}`),
      ...report.updated.map((file) => `  updated   ${file}`),
      ...report.archived.map((file) => `  archived  ${file} (file removed)`),
    ];
    console.log(
      `Content import: ${report.added.length} added, ${report.updated.length} updated, ` +
        `${report.archived.length} archived, ${report.unchanged} unchanged.`,
    );
    if (lines.length > 0) console.log(lines.join("\n"));
    if (report.chartProblems.length > 0) {
      console.warn(
        `Charts that could not be drawn (shown in place as a message; fix the chart block):\n` +
          report.chartProblems.map((problem) => `  ${problem.file}: ${problem.message}`).join("\n"),
      );
    }
  },
  (error) => error instanceof ContentValidationError,
);
