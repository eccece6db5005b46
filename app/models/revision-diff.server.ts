import { diffLines } from "diff";

export type DiffLine = { change: "added" | "removed" | "unchanged" | "skipped"; text: string };

const CONTEXT_LINES = 3;

/** A line-by-line diff of two texts, with long unchanged stretches folded away. */
export function diffTexts(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const change = part.added ? "added" : part.removed ? "removed" : "unchanged";
    const partLines = part.value.replace(/\n$/, "").split("\n");
    for (const text of partLines) lines.push({ change, text });
  }
  const keep = lines.map(
    (line, index) =>
      line.change !== "unchanged" ||
      lines
        .slice(Math.max(0, index - CONTEXT_LINES), index + CONTEXT_LINES + 1)
        .some((near) => near.change !== "unchanged"),
  );
  const folded: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (keep[index]) {
      if (skipped > 0) folded.push({ change: "skipped", text: `${skipped} unchanged line${skipped === 1 ? "" : "s"}` });
      skipped = 0;
      folded.push(line);
    } else {
      skipped += 1;
    }
  });
  if (skipped > 0) folded.push({ change: "skipped", text: `${skipped} unchanged line${skipped === 1 ? "" : "s"}` });
  return folded;
}
