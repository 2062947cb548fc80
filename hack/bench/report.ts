// Benchmark reports: the table and one-line summary printed to stdout, the docs/design.md §11
// targets stated next to the measured values (met or not), and the same content written as
// JSON plus a grouped bar chart (SVG, no dependencies) under bench-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTable } from './lib.ts';

export interface TargetCheck {
  /** What is measured, e.g. "watch delivery p99". */
  name: string;
  /** The goal as docs/design.md §11 words it, e.g. "≤ 100 ms". */
  goal: string;
  /** The measured value, formatted. */
  measured: string;
  /** undefined when the run could not measure it (said so in `note`). */
  met: boolean | undefined;
  note?: string;
}

export interface ChartBar {
  series: string;
  value: number;
}

export interface ChartGroup {
  label: string;
  bars: ChartBar[];
}

/** A grouped bar chart: one group per scenario, one bar per series (kplane, baseline, …). */
export interface BarChart {
  title: string;
  unit: string;
  groups: ChartGroup[];
}

export interface BenchReport {
  bench: string;
  quick: boolean;
  table: { headers: string[]; rows: (string | number)[][] };
  summary: string;
  targets: TargetCheck[];
  charts: BarChart[];
  /** Raw numbers for later comparison. */
  data?: Record<string, unknown>;
  notes?: string[];
}

/** "≤ 10 s" style goal check; lower is better unless higherIsBetter. */
export function checkTarget(name: string, goal: string, measured: number, limit: number, unit: string, higherIsBetter = false): TargetCheck {
  const met = higherIsBetter ? measured >= limit : measured <= limit;
  const value = Math.abs(measured) >= 100 ? measured.toFixed(0) : Math.abs(measured) >= 10 ? measured.toFixed(1) : measured.toFixed(2);
  return { name, goal, measured: `${value} ${unit}`.trim(), met };
}

export function formatTargets(targets: readonly TargetCheck[]): string {
  return formatTable(
    ['docs/design.md §11 target', 'goal', 'measured', 'met'],
    targets.map((t) => [t.name, t.goal, t.measured, `${t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO'}${t.note ? ` (${t.note})` : ''}`]),
  );
}

export function printReport(r: BenchReport, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  out(`\n${formatTable(r.table.headers, r.table.rows)}\n`);
  if (r.targets.length > 0) out(`\n${formatTargets(r.targets)}\n`);
  for (const n of r.notes ?? []) out(`note: ${n}\n`);
  out(`\nsummary: ${r.summary}\n`);
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

const PALETTE = ['#2563eb', '#9ca3af', '#f59e0b', '#10b981', '#ef4444'];

/** Render one grouped bar chart; values are scaled to the largest bar (0 when none). */
export function renderBarChartSvg(chart: BarChart): string {
  const series = [...new Set(chart.groups.flatMap((g) => g.bars.map((b) => b.series)))];
  const max = Math.max(0, ...chart.groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const barW = 28;
  const gap = 24;
  const left = 70;
  const top = 40;
  const plotH = 200;
  const groupW = series.length * barW + gap;
  const width = Math.max(360, left + chart.groups.length * groupW + 20);
  const height = top + plotH + 60 + series.length * 16;
  const y = (v: number) => top + plotH - (max > 0 ? (v / max) * plotH : 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${escapeXml(fmt(max))}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end">0</text>`,
    `<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">${escapeXml(chart.unit)}</text>`,
  ];
  chart.groups.forEach((g, gi) => {
    const x0 = left + gap / 2 + gi * groupW;
    for (const b of g.bars) {
      const si = series.indexOf(b.series);
      const v = Number.isFinite(b.value) ? b.value : 0;
      const x = x0 + si * barW;
      parts.push(`<rect x="${x}" y="${y(v).toFixed(1)}" width="${barW - 4}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${g.label} ${b.series}: ${fmt(v)} ${chart.unit}`)}</title></rect>`);
      parts.push(`<text x="${x + (barW - 4) / 2}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(fmt(v))}</text>`);
    }
    parts.push(`<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 14}" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  series.forEach((s, si) => {
    const ly = top + plotH + 34 + si * 16;
    parts.push(`<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/>`);
    parts.push(`<text x="${left + 16}" y="${ly}">${escapeXml(s)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** "2 CPUs; node v24.x; load 1.23" for a benchmark's header line: other work on the machine skews numbers. */
export function machineLine(): string {
  return `${os.cpus().length} CPUs; node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

/** Where results go: <repo>/bench-results (gitignored), or $KPLANE_BENCH_RESULTS. */
export function resultsDir(): string {
  return process.env['KPLANE_BENCH_RESULTS'] ?? path.resolve(import.meta.dirname, '..', '..', 'bench-results');
}

/** Write <bench>.json and one <bench>[-n].svg per chart; returns the paths written. */
export function writeReport(r: BenchReport, dir = resultsDir()): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = `${r.bench}${r.quick ? '-quick' : ''}`;
  const json = path.join(dir, `${base}.json`);
  const doc = {
    ...r,
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0], cpuModel: os.cpus()[0]?.model ?? '', memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
  };
  fs.writeFileSync(json, JSON.stringify(doc, null, 2) + '\n');
  const written = [json];
  r.charts.forEach((c, i) => {
    const svg = path.join(dir, `${base}${r.charts.length > 1 ? `-${i + 1}` : ''}.svg`);
    fs.writeFileSync(svg, renderBarChartSvg(c));
    written.push(svg);
  });
  return written;
}

/** Print, write, and say where the files went. */
export function finishReport(r: BenchReport): void {
  printReport(r);
  const files = writeReport(r);
  process.stdout.write(`results: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
}
