import type { CurrentVersion } from "~/models/publishing.server";
import type { DiffLine } from "~/models/revision-diff.server";

import { DiffTable } from "../diff-table";

/** The version saved while the writer was editing, with its body compared with theirs. */
export type ConflictVersion = CurrentVersion & { diff: DiffLine[] };

/** Shown when someone else saved the item since the writer opened it: their version, and how the two bodies differ. */
export function ConflictPanel({ conflict }: { conflict: ConflictVersion }) {
  return (
    <div className="notice notice--warning conflict" role="alert">
      <h2>Someone else saved this item while you were editing</h2>
      <p>
        {conflict.savedBy ?? "Someone"} saved version {conflict.version} at{" "}
        {new Date(conflict.savedAt).toLocaleString("en-GB")}. Your text has not been saved and is still in the form
        below. Their version is shown here: copy anything you want to keep into your text, then save again to replace
        theirs with yours.
      </p>
      <details open>
        <summary>Their version (the current one)</summary>
        <dl className="conflict__current">
          <dt>Title</dt>
          <dd>{conflict.title}</dd>
          <dt>Summary</dt>
          <dd>{conflict.summary}</dd>
          <dt>Body</dt>
          <dd>
            <pre className="conflict__body">{conflict.body}</pre>
          </dd>
        </dl>
      </details>
      {conflict.diff.length > 0 ? (
        <details>
          <summary id="conflict-diff-heading">How your body differs from theirs</summary>
          <DiffTable
            lines={conflict.diff}
            id="conflict-diff-heading"
            caption="Each line: removed if only in their version, added if only in yours"
          />
        </details>
      ) : null}
    </div>
  );
}
