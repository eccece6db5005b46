import { Link } from "@remix-run/react";

/** Links under an item for its editors (edit) and everyone (history, the markdown file). */
export function ItemTools({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  return (
    <ul className="item-tools">
      {canEdit ? (
        <li>
          <Link to={`/library/${slug}/edit`}>Edit this item</Link>
        </li>
      ) : null}
      <li>
        <Link to={`/library/${slug}/history`}>History</Link>
      </li>
      <li>
        <a href={`/library/${slug}/download`} download>
          Download as a markdown file
        </a>
      </li>
    </ul>
  );
}
