// Benchmark: how long a story with a chart over a 10,000-row dataset takes to render (the work
// done once, when an item is saved). Target: at most 200 ms per chart.
// Run with `npm run bench:charts`. Wall time suffers when other work shares the CPUs, so the
// CPU time each render used is reported too, with the machine's load average.
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";

import { createChartRenderer, type ChartDataset } from "~/charts/render-chart.server";
import { renderMarkdown } from "~/markdown/render.server";

const ROWS = 10_000;
const RUNS = 25;
const TARGET_MS = 200;

function tenThousandRowCsv() {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const lines = ["Date,Supplier,Category,Amount (£),Invoices"];
  const start = Date.UTC(2000, 0, 1);
  for (let i = 0; i < ROWS; i += 1) {
    const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const amount = (random() * 2_000_000).toFixed(2);
    lines.push(
      `${date},"Supplier ${String(i).padStart(5, "0")} Ltd, trading as S${i}",Category ${i % 12},"${Number(amount).toLocaleString("en-GB")}",${Math.floor(random() * 40)}`,
    );
  }
  return Buffer.from(lines.join("\n"), "utf8");
}

const datasets: ChartDataset[] = [
  {
    fileName: "payments.csv",
    title: "Synthetic payments",
    publisher: "Benchmark",
    attribution: "Synthetic data",
    format: "csv",
    content: tenThousandRowCsv(),
  },
  {
    fileName: "awards.json",
    title: "Contracts Finder awards",
    publisher: "Crown Commercial Service",
    attribution: "Contains public sector information licensed under the Open Government Licence v2.0",
    format: "ocds",
    content: readFileSync("content/data/contracts-finder-awards-2018-2020.ocds.json"),
  },
];

const fence = (yaml: string) => `Some words.\n\n\`\`\`chart\n${yaml.trim()}\n\`\`\`\n\nMore words.\n`;
const cases: [string, string][] = [
  [
    "line chart, every one of 10,000 rows",
    "kind: line\ntitle: Daily payments\ndataset: payments.csv\nlabel: Date\nvalues: Amount\nunits: gbp",
  ],
  [
    "column chart, 10,000 rows grouped by financial year",
    "kind: column\ntitle: Payments by year\ndataset: payments.csv\nlabel: Date\nvalues: Amount\ngroup: financial-year\nunits: gbp",
  ],
  [
    "bar chart, top 10 of 10,000 rows",
    "kind: bar\ntitle: Largest payments\ndataset: payments.csv\nlabel: Supplier\nvalues: Amount\nsort: descending\nlimit: 10\nunits: gbp",
  ],
  [
    "stacked bar, 2 series, top 20 of 10,000 rows",
    "kind: stacked-bar\ntitle: Invoices and amounts\ndataset: payments.csv\nlabel: Supplier\nvalues: [Invoices, Invoices]\nsort: descending\nlimit: 20\nunits: count",
  ],
  [
    "bar chart from OCDS (100 releases, 966 KB)",
    "kind: bar\ntitle: Top buyers\ndataset: awards.json\ntable: award-value-by-buyer\nlabel: Buyer\nvalues: Award value\nsort: descending\nlimit: 10\nunits: gbp",
  ],
];

function renderOnce(body: string) {
  // The same steps as renderItemBody in app/models/item.server.ts, without the database.
  const charts = createChartRenderer({ slug: "bench", datasets, markdown: body });
  const rendered = renderMarkdown(body, { renderFence: charts.renderFence });
  if (charts.problems.length > 0) throw new Error(charts.problems.map((p) => p.message).join("; "));
  return rendered.html.length;
}

const [load] = loadavg();
console.log(
  `Chart render benchmark: ${RUNS} runs each after one warm-up, Node ${process.version}, ` +
    `${availableParallelism()} CPUs, load average ${load!.toFixed(1)}\n`,
);
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
const percentile = (sorted: number[], share: number) => sorted[Math.ceil(sorted.length * share) - 1]!;
let failed = false;
for (const [label, yaml] of cases) {
  const body = fence(yaml);
  const size = renderOnce(body);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    renderOnce(body);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  if (percentile(cpu, 0.95) > TARGET_MS || percentile(wall, 0.5) > TARGET_MS) failed = true;
  console.log(
    `${label.padEnd(52)} wall median ${ms(percentile(wall, 0.5))} p95 ${ms(percentile(wall, 0.95))} max ${ms(wall.at(-1)!)}` +
      ` | CPU median ${ms(percentile(cpu, 0.5))} p95 ${ms(percentile(cpu, 0.95))} | html ${(size / 1024).toFixed(0)} KB`,
  );
}
console.log(
  `\nTarget: at most ${TARGET_MS} ms (median wall time and 95th-percentile CPU time). ${failed ? "MISSED" : "Met."}`,
);
if (failed) process.exitCode = 1;
