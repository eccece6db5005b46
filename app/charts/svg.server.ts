import { escapeHtml } from "~/utils/html";

import type { ChartData } from "./chart-data";
import type { ChartKind } from "./chart-spec";
import { formatCompact, niceTicks, type Units } from "./format";

// Drawn in a 360-unit-wide viewBox that scales to the column (at most 30rem wide): on a 320 px
// screen text stays above 10 px, and labels are placed (or thinned, or rotated) so none overlap.
const WIDTH = 360;
const FONT = 15;
const SMALL = 13;
const CHAR = 0.6; // a generous average glyph width as a share of the font size, for laying out labels

/** Colours with at least 3:1 contrast against white, told apart by pattern and label as well. */
export const SERIES_COLOURS = ["#1d4f91", "#a34a00", "#00695c", "#6a3d9a", "#4b5563", "#8a1c4a"];
const MARKERS = ["circle", "square", "triangle", "diamond", "circle", "square"] as const;
const DASHES = ["", "6 4", "2 3", "10 3 2 3", "", "6 4"];

type SvgInput = { id: string; kind: ChartKind; data: ChartData; units: Units; title: string; description: string };

const textWidth = (text: string, size = FONT) => text.length * size * CHAR;
const fixed = (value: number) => Number(value.toFixed(1));

function truncate(text: string, maxWidth: number, size = FONT) {
  const maxChars = Math.max(4, Math.floor(maxWidth / (size * CHAR)));
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}

function patternDefs(id: string, count: number) {
  const defs: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    const pid = `${id}-fill-${i}`;
    const kind = i % 4;
    const marks =
      kind === 0
        ? ""
        : kind === 1
          ? `<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6"/>`
          : kind === 2
            ? `<circle cx="4" cy="4" r="1.6" fill="#fff"/>`
            : `<path d="M0,4 h8" stroke="#fff" stroke-width="1.6"/>`;
    defs.push(
      `<pattern id="${pid}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${colour}"/>${marks}</pattern>`,
    );
  }
  return `<defs>${defs.join("")}</defs>`;
}

const fillOf = (id: string, series: number) => `url(#${id}-fill-${series})`;

function legend(id: string, data: ChartData, y: number) {
  if (data.series.length < 2) return { svg: "", height: 0 };
  let x = 0;
  let row = 0;
  const parts: string[] = [];
  data.series.forEach((series, i) => {
    const label = truncate(series.name, WIDTH - 30, SMALL);
    const width = 22 + textWidth(label, SMALL) + 14;
    if (x > 0 && x + width > WIDTH) {
      x = 0;
      row += 1;
    }
    const top = y + row * 22;
    parts.push(
      `<rect x="${fixed(x)}" y="${top}" width="16" height="14" fill="${fillOf(id, i)}" stroke="#1f2933" stroke-width="0.5"/>` +
        `<text x="${fixed(x + 22)}" y="${top + 12}" font-size="${SMALL}">${escapeHtml(label)}</text>`,
    );
    x += width;
  });
  return { svg: `<g class="chart__legend">${parts.join("")}</g>`, height: (row + 1) * 22 + 6 };
}

function svgDocument(input: SvgInput, height: number, body: string) {
  const { id, title, description } = input;
  return (
    `<svg class="chart__svg" viewBox="0 0 ${WIDTH} ${fixed(height)}" width="${WIDTH}" height="${fixed(height)}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="inherit" fill="#1f2933" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    body +
    `</svg>`
  );
}

/** Horizontal bars, each labelled above its bar, values at the bar's end. Several series sit side by side. */
function horizontalBars(input: SvgInput, stacked: boolean) {
  const { id, data, units } = input;
  const seriesCount = data.series.length;
  const { svg: legendSvg, height: legendHeight } = legend(id, data, 0);
  const totals = data.categories.map((_, c) => data.series.reduce((sum, series) => sum + (series.values[c] ?? 0), 0));
  const maxValue = Math.max(
    ...(stacked ? totals : data.series.flatMap((series) => series.values.map((v) => v ?? 0))),
    0,
  );
  const valueRoom = 70;
  const scale = (value: number) => (maxValue > 0 ? (value / maxValue) * (WIDTH - valueRoom) : 0);
  const barHeight = 18;
  const groupHeight = stacked ? barHeight : barHeight * seriesCount + 2 * (seriesCount - 1);
  const rowHeight = FONT + 6 + groupHeight + 14;
  const parts: string[] = [legendSvg];
  data.categories.forEach((category, c) => {
    const top = legendHeight + c * rowHeight;
    parts.push(`<text x="0" y="${top + FONT}" font-size="${FONT}">${escapeHtml(truncate(category, WIDTH))}</text>`);
    const barTop = top + FONT + 6;
    if (stacked) {
      let x = 0;
      data.series.forEach((series, s) => {
        const width = scale(series.values[c] ?? 0);
        if (width > 0)
          parts.push(
            `<rect x="${fixed(x)}" y="${barTop}" width="${fixed(width)}" height="${barHeight}" fill="${fillOf(id, s)}" stroke="#fff" stroke-width="1"/>`,
          );
        x += width;
      });
      parts.push(
        `<text x="${fixed(x + 6)}" y="${barTop + 14}" font-size="${SMALL}">${escapeHtml(formatCompact(totals[c]!, units))}</text>`,
      );
    } else {
      data.series.forEach((series, s) => {
        const value = series.values[c] ?? null;
        const y = barTop + s * (barHeight + 2);
        const width = scale(value ?? 0);
        if (width > 0)
          parts.push(
            `<rect x="0" y="${y}" width="${fixed(Math.max(width, 1))}" height="${barHeight}" fill="${fillOf(id, s)}"/>`,
          );
        parts.push(
          `<text x="${fixed(width + 6)}" y="${y + 14}" font-size="${SMALL}">${escapeHtml(value === null ? "no data" : formatCompact(value, units))}</text>`,
        );
      });
    }
  });
  return svgDocument(
    input,
    legendHeight + data.categories.length * rowHeight,
    patternDefs(id, seriesCount) + parts.join(""),
  );
}

/** Shared axes for column and line charts: y gridlines with formatted values, x labels that never overlap. */
function axes(input: SvgInput) {
  const { data, units } = input;
  const values = data.series.flatMap((series) => series.values.filter((v): v is number => v !== null));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const tickLabels = ticks.map((tick) => formatCompact(tick, units));
  const left = Math.max(...tickLabels.map((label) => textWidth(label, SMALL))) + 10;
  const right = input.kind === "line" && data.series.length > 1 ? 8 : 8;
  const plotWidth = WIDTH - left - right;
  const slot = plotWidth / data.categories.length;
  const labels = data.categories.map((category) => truncate(category, 120, SMALL));
  const widest = Math.max(...labels.map((label) => textWidth(label, SMALL)));
  // Thin the labels until they fit side by side; rotate only when a few long labels would not.
  let every = Math.max(1, Math.ceil((widest + 8) / slot));
  const rotate = every > 1 && data.categories.length <= 24 && input.kind === "column";
  if (rotate) every = Math.max(1, Math.ceil((SMALL * 1.6) / slot));
  const bottom = rotate ? widest * 0.72 + 18 : SMALL + 12;
  return { ticks, tickLabels, left, plotWidth, slot, labels, every, rotate, bottom };
}

function columnOrLine(input: SvgInput) {
  const { id, data, units, kind } = input;
  const { svg: legendSvg, height: legendHeight } = legend(id, data, 0);
  const a = axes(input);
  const top = legendHeight + 18;
  const plotHeight = 220;
  const low = a.ticks[0]!;
  const high = a.ticks[a.ticks.length - 1]!;
  const y = (value: number) => top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const parts: string[] = [legendSvg];
  a.ticks.forEach((tick, i) => {
    parts.push(
      `<line x1="${fixed(a.left)}" x2="${WIDTH}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="${tick === 0 ? "#1f2933" : "#d0d5da"}" stroke-width="1"/>` +
        `<text x="${fixed(a.left - 6)}" y="${fixed(y(tick) + 4)}" font-size="${SMALL}" text-anchor="end">${escapeHtml(a.tickLabels[i]!)}</text>`,
    );
  });
  const centre = (c: number) => a.left + a.slot * (c + 0.5);
  if (kind === "column") {
    const seriesCount = data.series.length;
    const groupWidth = Math.min(a.slot * 0.8, 60 * seriesCount);
    const barWidth = groupWidth / seriesCount;
    data.categories.forEach((_, c) => {
      data.series.forEach((series, s) => {
        const value = series.values[c];
        if (value === null || value === undefined) return;
        const x = centre(c) - groupWidth / 2 + s * barWidth;
        const yTop = y(Math.max(value, 0));
        parts.push(
          `<rect x="${fixed(x)}" y="${fixed(yTop)}" width="${fixed(Math.max(barWidth - 1, 1))}" height="${fixed(Math.max(y(0) - yTop, value > 0 ? 1 : 0))}" fill="${fillOf(id, s)}"/>`,
        );
        const label = formatCompact(value, units);
        if (textWidth(label, SMALL) <= barWidth + 2) {
          parts.push(
            `<text x="${fixed(x + barWidth / 2)}" y="${fixed(yTop - 4)}" font-size="${SMALL}" text-anchor="middle">${escapeHtml(label)}</text>`,
          );
        }
      });
    });
  } else {
    const showMarkers = data.categories.length <= 60;
    data.series.forEach((series, s) => {
      const colour = SERIES_COLOURS[s % SERIES_COLOURS.length]!;
      let path = "";
      let pen = false;
      series.values.forEach((value, c) => {
        if (value === null) {
          pen = false;
          return;
        }
        path += `${pen ? "L" : "M"}${fixed(centre(c))},${fixed(y(value))}`;
        pen = true;
      });
      const dash = DASHES[s % DASHES.length] ? ` stroke-dasharray="${DASHES[s % DASHES.length]}"` : "";
      parts.push(
        `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2.5"${dash} stroke-linejoin="round"/>`,
      );
      if (showMarkers) {
        series.values.forEach((value, c) => {
          if (value !== null) parts.push(marker(MARKERS[s % MARKERS.length]!, centre(c), y(value), colour));
        });
      }
      const lastIndex = series.values.findLastIndex((value) => value !== null);
      if (data.series.length > 1 && lastIndex >= 0) {
        const lastLabel = truncate(series.name, 110, SMALL);
        const x = Math.min(centre(lastIndex) + 6, WIDTH - textWidth(lastLabel, SMALL));
        parts.push(
          `<text x="${fixed(x)}" y="${fixed(y(series.values[lastIndex]!) - 8)}" font-size="${SMALL}" fill="${colour}" font-weight="bold">${escapeHtml(lastLabel)}</text>`,
        );
      }
    });
  }
  const axisY = top + plotHeight;
  data.categories.forEach((_, c) => {
    if (c % a.every !== 0) return;
    parts.push(
      a.rotate
        ? `<text transform="translate(${fixed(centre(c) + 4)},${axisY + 10}) rotate(-45)" font-size="${SMALL}" text-anchor="end">${escapeHtml(a.labels[c]!)}</text>`
        : xLabel(centre(c), axisY + SMALL + 6, a.labels[c]!),
    );
  });
  return svgDocument(input, axisY + a.bottom, patternDefs(id, data.series.length) + parts.join(""));
}

/** A centred axis label, nudged to stay inside the drawing at either end. */
function xLabel(x: number, y: number, text: string) {
  const half = textWidth(text, SMALL) / 2;
  const [anchor, at] = x + half > WIDTH ? ["end", WIDTH] : x - half < 0 ? ["start", 0] : ["middle", x];
  return `<text x="${fixed(at)}" y="${y}" font-size="${SMALL}" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
}

function marker(shape: (typeof MARKERS)[number], x: number, y: number, colour: string) {
  const attrs = `fill="${colour}" stroke="#fff" stroke-width="1"`;
  switch (shape) {
    case "circle":
      return `<circle cx="${fixed(x)}" cy="${fixed(y)}" r="3.5" ${attrs}/>`;
    case "square":
      return `<rect x="${fixed(x - 3.5)}" y="${fixed(y - 3.5)}" width="7" height="7" ${attrs}/>`;
    case "triangle":
      return `<path d="M${fixed(x)},${fixed(y - 4.5)}L${fixed(x + 4.5)},${fixed(y + 3.5)}L${fixed(x - 4.5)},${fixed(y + 3.5)}Z" ${attrs}/>`;
    case "diamond":
      return `<path d="M${fixed(x)},${fixed(y - 5)}L${fixed(x + 5)},${fixed(y)}L${fixed(x)},${fixed(y + 5)}L${fixed(x - 5)},${fixed(y)}Z" ${attrs}/>`;
  }
}

/** The chart as an accessible SVG image (role="img", named by its title and described). */
export function renderChartSvg(input: SvgInput) {
  switch (input.kind) {
    case "bar":
      return horizontalBars(input, false);
    case "stacked-bar":
      return horizontalBars(input, true);
    case "column":
    case "line":
      return columnOrLine(input);
  }
}
