import type { SlaReport } from './build-report.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const W = 720;
const H = 200;
const PAD = { l: 48, r: 12, t: 14, b: 26 };

function frame(title: string, yLabels: [number, string][], inner: string): string {
  const ph = H - PAD.t - PAD.b;
  const grid = yLabels
    .map(([f, text]) => {
      const y = PAD.t + ph * (1 - f);
      return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.l - 4}" y="${y + 4}" text-anchor="end" font-size="10">${esc(text)}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${grid}${inner}</svg></figure>`;
}

/** Daily availability bars; the y axis spans [floor, 100 %] so small dips show; red under objective. */
export function availabilityBars(r: SlaReport): string {
  const days = r.daily;
  const objective = r.policy.availability;
  const lowest = Math.min(objective - (1 - objective) * 9, ...days.map((d) => d.availability ?? 1));
  // Leave headroom under the lowest day so even it shows as a bar.
  const floor = Math.max(0, lowest - (1 - lowest) * 0.15);
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const bw = days.length === 0 ? 0 : pw / days.length;
  const bars = days
    .map((d, i) => {
      const x = PAD.l + i * bw;
      const label = `<text x="${x + bw / 2}" y="${H - 10}" text-anchor="middle" font-size="9">${esc(d.date.slice(8))}</text>`;
      if (d.availability === null)
        return `${label}<rect x="${x + 1}" y="${PAD.t}" width="${Math.max(1, bw - 2)}" height="${ph}" fill="#eee"><title>${esc(d.date)}: no data</title></rect>`;
      const h = (ph * (d.availability - floor)) / (1 - floor);
      const fill = d.availability < objective ? '#c62828' : '#2e7d32';
      return `${label}<rect x="${x + 1}" y="${PAD.t + ph - h}" width="${Math.max(1, bw - 2)}" height="${h}" fill="${fill}"><title>${esc(d.date)}: ${(d.availability * 100).toFixed(3)} %</title></rect>`;
    })
    .join('');
  const objY = PAD.t + ph * (1 - (objective - floor) / (1 - floor));
  const obj = `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${objY}" y2="${objY}" stroke="#1565c0" stroke-dasharray="4 3"/>`;
  return frame(
    'Daily availability',
    [
      [0, `${(floor * 100).toFixed(2)}%`],
      [1, '100%'],
    ],
    bars + obj,
  );
}

function polyline(values: (number | null)[], max: number, color: string, name: string): string {
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const step = values.length > 1 ? pw / (values.length - 1) : 0;
  const pts = values
    .map((v, i) =>
      v === null
        ? null
        : `${(PAD.l + i * step).toFixed(1)},${(PAD.t + ph * (1 - Math.min(v, max) / max)).toFixed(1)}`,
    )
    .filter((p): p is string => p !== null)
    .join(' ');
  return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"><title>${esc(name)}</title></polyline>`;
}

/** Latency percentiles per day (p50, p95, p99 and the average) against the average target. */
export function latencyChart(r: SlaReport): string {
  const target = r.policy.latency.average_ms;
  const max = Math.max(target * 1.5, ...r.daily.map((d) => d.p99Ms ?? 0)) * 1.05;
  const ph = H - PAD.t - PAD.b;
  const ty = PAD.t + ph * (1 - target / max);
  const lines =
    polyline(
      r.daily.map((d) => d.p50Ms),
      max,
      '#2e7d32',
      'p50',
    ) +
    polyline(
      r.daily.map((d) => d.p95Ms),
      max,
      '#ef6c00',
      'p95',
    ) +
    polyline(
      r.daily.map((d) => d.p99Ms),
      max,
      '#c62828',
      'p99',
    ) +
    polyline(
      r.daily.map((d) => d.avgResponseMs),
      max,
      '#1565c0',
      'average',
    ) +
    `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${ty}" y2="${ty}" stroke="#000" stroke-dasharray="4 3"><title>target ${target} ms</title></line>`;
  return frame(
    'Latency per day (ms): p50 green, p95 orange, p99 red, average blue; dashed: target',
    [
      [0, '0'],
      [target / max, `${target}`],
      [1, `${max.toFixed(0)}`],
    ],
    lines,
  );
}

/** The month as a strip: down intervals red, exclusions grey, unknown amber. */
export function downtimeTimeline(r: SlaReport): string {
  const from = Date.parse(r.from);
  const span = Math.max(1, Date.parse(r.to) - from);
  const pw = W - PAD.l - PAD.r;
  const x = (iso: string): number => PAD.l + (pw * (Date.parse(iso) - from)) / span;
  const band = (list: [string, string][], y: number, color: string, what: string): string =>
    list
      .map(
        ([f, t]) =>
          `<rect x="${x(f).toFixed(2)}" y="${y}" width="${Math.max(1, x(t) - x(f)).toFixed(2)}" height="30" fill="${color}"><title>${esc(what)} ${esc(f)} – ${esc(t)}</title></rect>`,
      )
      .join('');
  const rows =
    band(
      r.exclusions.map((e) => [e.from, e.to]),
      30,
      '#9e9e9e',
      'excluded',
    ) +
    band(r.unknownIntervals, 80, '#ffb300', 'unknown') +
    band(r.downIntervals, 130, '#c62828', 'down');
  const labels = `<text x="4" y="50" font-size="10">excl.</text><text x="4" y="100" font-size="10">unknown</text><text x="4" y="150" font-size="10">down</text>`;
  return frame('Downtime timeline', [], labels + rows);
}

/** Error budget left at the end of each day, as a share of the month's budget. */
export function budgetBurnDown(r: SlaReport): string {
  const total = r.budgetTotalSeconds;
  const values = r.daily.map((d) => (total > 0 ? Math.max(0, d.budgetRemainingSeconds / total) : 0));
  return frame(
    'Error budget remaining',
    [
      [0, '0%'],
      [0.5, '50%'],
      [1, '100%'],
    ],
    polyline(values, 1, '#6a1b9a', 'budget'),
  );
}
