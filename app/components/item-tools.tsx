import { Link } from "@remix-run/react";

import { itemDownloadPath, itemEditPath, itemHistoryPath } from "~/utils/paths";

/** Links under an item for its editors (edit) and everyone (history, the markdown file). */
export function ItemTools({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  return (
    <ul className="item-tools">
      {canEdit ? (
        <li>
          <Link to={itemEditPath(slug)}>Edit this item</Link>
        </li>
      ) : null}
      <li>
        <Link to={itemHistoryPath(slug)}>History</Link>
      </li>
      <li>
        <a href={itemDownloadPath(slug)} download>
          Download as a markdown file
        </a>
      </li>
    </ul>
  );
}
