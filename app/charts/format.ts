export const UNITS = ["gbp", "count", "percent", "number"] as const;
export type Units = (typeof UNITS)[number];

const compactGbp = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
const smallGbp = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});
const exactGbp = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const wholeNumber = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
const compactNumber = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

/** A value as people read it on a chart: £4.7bn, £262.2m, 12,345, 39.2%. */
export function formatCompact(value: number, units: Units) {
  switch (units) {
    case "gbp":
      return Math.abs(value) >= 1000 ? compactGbp.format(value) : smallGbp.format(value);
    case "percent":
      return `${percent.format(value)}%`;
    case "count":
      return Math.abs(value) >= 1_000_000 ? compactNumber.format(value) : wholeNumber.format(value);
    case "number":
      return Math.abs(value) >= 1_000_000 ? compactNumber.format(value) : decimal.format(value);
  }
}

/** A value in full, for the table behind a chart: £1,512,000,000.00, 12,345, 39.2%. */
export function formatExact(value: number, units: Units) {
  switch (units) {
    case "gbp":
      return exactGbp.format(value);
    case "percent":
      return `${percent.format(value)}%`;
    case "count":
      return wholeNumber.format(value);
    case "number":
      return decimal.format(value);
  }
}

/** Gridline values from zero (or the lowest value) to just above the highest. */
export function niceTicks(min: number, max: number, count = 5) {
  const low = Math.min(0, min);
  const high = max <= low ? low + 1 : max;
  const rough = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick < high + step * 0.999; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}
