import {
  type ChartDataset,
  type ChartProblem,
  createChartRenderer,
  type RenderedChart,
} from "~/charts/render-chart.server";
import { renderMarkdown, type TocEntry } from "~/markdown/render.server";

export type RenderedItemBody = {
  html: string;
  toc: TocEntry[];
  wordCount: number;
  charts: RenderedChart[];
  chartProblems: ChartProblem[];
  /** Every ```chart block in the body, drawn or not. */
  chartBlockCount: number;
  /** Datasets read to draw the charts. */
  datasetsRead: number;
};

/**
 * Renders an item's markdown body through the one publishing render path, drawing its
 * ```chart blocks from the item's datasets. Broken chart blocks render as an inline message
 * and are listed in `chartProblems`. Runs in a render worker (see render.server.ts).
 */
export function renderItemBodySync(
  body: string,
  { slug, datasets = [] }: { slug?: string; datasets?: ChartDataset[] } = {},
): RenderedItemBody {
  const charts = createChartRenderer({ slug, datasets, markdown: body });
  const rendered = renderMarkdown(body, { renderFence: charts.renderFence });
  return {
    ...rendered,
    charts: charts.charts,
    chartProblems: charts.problems,
    chartBlockCount: charts.blockCount,
    datasetsRead: charts.datasetsRead,
  };
}
