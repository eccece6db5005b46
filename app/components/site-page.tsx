import { formatDate } from "~/utils/dates";

/** A launch page from content/pages, rendered on the server from markdown. */
export function SitePage({ page }: { page: { title: string; updated: string; html: string } }) {
  return (
    <div className="prose-page">
      <h1>{page.title}</h1>
      <p className="meta">Last updated {formatDate(page.updated)}</p>
      <div className="prose" dangerouslySetInnerHTML={{ __html: page.html }} />
    </div>
  );
}
