import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkTarget, formatTargets, printReport, renderBarChartSvg, writeReport, type BenchReport } from './report.ts';

const report: BenchReport = {
  bench: 'demo',
  quick: true,
  table: { headers: ['scenario', 'p99 ms'], rows: [['kplane', '12.0'], ['bare', '3.0']] },
  summary: 'kplane p99 12 ms vs bare 3 ms',
  targets: [checkTarget('delivery p99', '≤ 100 ms', 12, 100, 'ms')],
  charts: [{ title: 'p99 <latency> & more', unit: 'ms', groups: [{ label: 'N=10', bars: [{ series: 'kplane', value: 12 }, { series: 'bare', value: 3 }] }] }],
};

test('checkTarget compares in the right direction', () => {
  assert.equal(checkTarget('x', '≤ 10', 9, 10, 's').met, true);
  assert.equal(checkTarget('x', '≤ 10', 11, 10, 's').met, false);
  assert.equal(checkTarget('x', '≥ 25 %', 30, 25, '%', true).met, true);
  assert.equal(checkTarget('x', '≥ 25 %', 20, 25, '%', true).met, false);
  assert.equal(checkTarget('x', '', 1234.5, 0, 'ms').measured, '1235 ms');
});

test('formatTargets says yes, NO or n/a', () => {
  const out = formatTargets([
    checkTarget('a', '≤ 1', 0.5, 1, 's'),
    { ...checkTarget('b', '≤ 1', 2, 1, 's'), note: 'N=2,000' },
    { name: 'c', goal: '≤ 1', measured: '-', met: undefined },
  ]);
  assert.match(out, /a .* yes/);
  assert.match(out, /NO \(N=2,000\)/);
  assert.match(out, /n\/a/);
});

test('printReport prints the table, the targets and the summary line', () => {
  let out = '';
  printReport(report, (s) => (out += s));
  assert.match(out, /scenario\s+p99 ms/);
  assert.match(out, /design\.md §11 target/);
  assert.match(out, /summary: kplane p99 12 ms/);
});

test('SVG escapes text and scales bars to the largest value', () => {
  const svg = renderBarChartSvg(report.charts[0]!);
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.includes('p99 &lt;latency&gt; &amp; more'));
  assert.ok(!svg.includes('<latency>'));
  const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="([\d.]+)" fill="#[0-9a-f]+"><title>/g)].map((m) => Number(m[1]));
  assert.deepEqual(heights, [200, 50]);
});

test('SVG of an empty or all-zero chart is still well formed', () => {
  const svg = renderBarChartSvg({ title: 't', unit: 'u', groups: [{ label: 'g', bars: [{ series: 's', value: 0 }, { series: 'n', value: Number.NaN }] }] });
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(!svg.includes('NaN'));
});

test('writeReport writes JSON with machine info and one SVG per chart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  try {
    const files = writeReport({ ...report, charts: [...report.charts, ...report.charts] }, dir);
    assert.deepEqual(files.map((f) => path.basename(f)), ['demo-quick.json', 'demo-quick-1.svg', 'demo-quick-2.svg']);
    const doc = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as { summary: string; machine: { cpus: number } };
    assert.equal(doc.summary, report.summary);
    assert.ok(doc.machine.cpus >= 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
