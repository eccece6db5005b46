import { Link } from "@remix-run/react";

/** Previous/next links that keep the rest of the query string. */
export function Pagination({
  page,
  pageCount,
  searchParams,
  basePath,
}: {
  page: number;
  pageCount: number;
  searchParams: URLSearchParams;
  basePath: string;
}) {
  if (pageCount <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(searchParams);
    if (target === 1) params.delete("page");
    else params.set("page", String(target));
    const query = params.toString();
    return query ? `${basePath}?${query}` : basePath;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      <ul>
        {page > 1 && page <= pageCount ? (
          <li>
            <Link to={hrefFor(page - 1)} rel="prev">
              <span aria-hidden="true">← </span>Previous page
            </Link>
          </li>
        ) : null}
        <li className="pagination__status" aria-current="page">
          Page {Math.min(page, pageCount)} of {pageCount}
        </li>
        {page < pageCount ? (
          <li>
            <Link to={hrefFor(page + 1)} rel="next">
              Next page<span aria-hidden="true"> →</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
