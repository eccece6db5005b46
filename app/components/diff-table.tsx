import type { DiffLine } from "~/models/revision-diff.server";

const CHANGE_LABELS = { added: "Added", removed: "Removed", unchanged: "Unchanged", skipped: "" } as const;

/** A line diff as a table: each line says in words whether it was added, removed or unchanged. */
export function DiffTable({ lines, id, caption }: { lines: DiffLine[]; id: string; caption: string }) {
  return (
    <div className="table-wrap" role="region" tabIndex={0} aria-labelledby={id}>
      <table className="diff">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Line</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index} className={`diff__${line.change}`}>
              <td>{CHANGE_LABELS[line.change]}</td>
              <td>
                {line.change === "added" ? (
                  <ins>{line.text || " "}</ins>
                ) : line.change === "removed" ? (
                  <del>{line.text || " "}</del>
                ) : line.change === "skipped" ? (
                  <em>{line.text}</em>
                ) : (
                  <span>{line.text || " "}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
