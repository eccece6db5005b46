// Times feeds, the sitemap and the API against a running server, fresh and conditional (304).
// Usage: npm run build && npm start (elsewhere), then
//   BASE_URL=http://localhost:3000 npx tsx scripts/bench-syndication.ts

const baseUrl = process.env.BASE_URL ?? "http://localhost:3000";
const ROUNDS = Number(process.env.ROUNDS ?? 200);
const PATHS = [
  "/feeds/everything.atom",
  "/feeds/everything.rss",
  "/feeds/themes/downstream.atom",
  "/api/v1/items?limit=100",
  "/api/v1/items?type=case-study&regime=pa23",
  "/api/v1/communities",
  "/sitemap.xml",
  "/api/v1/openapi.json",
];

function percentile(samples: number[], fraction: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(1);
}

async function timeRequests(path: string, headers: Record<string, string>, expectedStatus: number) {
  const samples: number[] = [];
  let etag = "";
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    if (response.status !== expectedStatus)
      throw new Error(`${path}: expected ${expectedStatus}, got ${response.status}`);
    etag = response.headers.get("ETag") ?? "";
    samples.push(performance.now() - started);
  }
  return { samples, etag };
}

for (const path of PATHS) {
  const fresh = await timeRequests(path, {}, 200);
  const conditional = await timeRequests(path, { "If-None-Match": fresh.etag }, 304);
  console.log(
    `${path.padEnd(44)} 200: p50 ${percentile(fresh.samples, 0.5)} ms, p99 ${percentile(fresh.samples, 0.99)} ms` +
      ` | 304: p50 ${percentile(conditional.samples, 0.5)} ms`,
  );
}
export {};
