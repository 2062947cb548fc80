// Availability soak (issue 14): one kplane, hostile clients for a few minutes, and an ordinary
// client whose latency is measured throughout. Hostile clients:
//   - anonymous tricklers: POST with a huge Content-Length, one byte at a time, reconnecting
//     whenever the server cuts them;
//   - watchers that never read, while a 1 MiB ConfigMap is rewritten in a loop;
//   - the copy-amplifying JSON patch and oversized creates, in a loop;
//   - 1,000 ordinary (reading) watches (1 in 50 on the namespace of the large object).
// The ordinary client runs in this same process as the hostile ones, so its latency includes
// this process's own load.
// Reports the ordinary client's p50/p99/max and error count, what the hostile clients got, and
// the server's peak RSS (VmHWM). Numbers only; it never fails on them.
//   npm run bench -- availability [--quick]
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { TestClient } from '../../test/framework/http.ts';
import { type Kplane, sleep, startKplane } from './fixture.ts';
import { formatMs, formatTable, parseBenchArgs, summarize } from './lib.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const MiB = 1024 * 1024;

interface Tally {
  [what: string]: number;
}

function bump(t: Tally, what: string): void {
  t[what] = (t[what] ?? 0) + 1;
}

/** Peak and current resident memory of a process, from /proc (Linux), in MiB. */
function memoryOf(pid: number): { peakMiB: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
}

/** A raw TLS connection that sends `head` then trickles a byte every `everyMs`; resolves when the server closes it. */
function trickler(kp: Kplane, head: string, everyMs: number, stop: AbortSignal, tally: Tally): Promise<void> {
  const u = new URL(kp.url);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port), ca: kp.caPem, servername: 'localhost' }, () => s.write(head));
    const t = setInterval(() => s.writable && s.write('x'), everyMs);
    const end = () => {
      clearInterval(t);
      s.destroy();
    };
    stop.addEventListener('abort', end, { once: true });
    s.on('error', () => bump(tally, 'trickler socket errors'));
    s.once('close', () => {
      clearInterval(t);
      stop.removeEventListener('abort', end);
      bump(tally, 'trickler connections cut');
      resolve();
    });
  });
}

/** A watch whose socket is paused: it never reads. Resolves when the server closes it. */
function stalledWatch(kp: Kplane, stop: AbortSignal, tally: Tally): Promise<void> {
  const u = new URL(kp.url);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port), ca: kp.caPem, servername: 'localhost' }, () => {
      s.write(`GET ${CM}?watch=1&fieldSelector=metadata.name%3Dbig HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${kp.adminToken}\r\n\r\n`);
      s.pause();
    });
    const end = () => s.destroy();
    stop.addEventListener('abort', end, { once: true });
    s.on('error', () => undefined);
    s.once('close', () => {
      stop.removeEventListener('abort', end);
      if (!stop.aborted) bump(tally, 'stalled watchers closed by the server');
      resolve();
    });
  });
}

/** An ordinary watch that reads everything; counts events. */
function readingWatch(kp: Kplane, ns: string, stop: AbortSignal, tally: Tally): void {
  const req = request(new URL(`/api/v1/namespaces/${ns}/configmaps?watch=1`, kp.url), { headers: { Authorization: `Bearer ${kp.adminToken}` }, ca: kp.caPem, agent: false }, (res) => {
    res.on('data', () => bump(tally, 'reading watch chunks'));
    res.on('error', () => !stop.aborted && bump(tally, 'reading watch errors'));
    res.on('end', () => !stop.aborted && bump(tally, 'reading watches ended early'));
  });
  req.on('error', () => !stop.aborted && bump(tally, 'reading watch errors'));
  stop.addEventListener('abort', () => req.destroy(), { once: true });
  req.end();
}

async function loop(stop: AbortSignal, body: () => Promise<unknown>): Promise<void> {
  while (!stop.aborted) await body();
}

async function main(): Promise<void> {
  const { quick } = parseBenchArgs();
  const durationMs = quick ? 45_000 : 180_000;
  const counts = { tricklers: quick ? 100 : 300, stalled: quick ? 5 : 20, watches: quick ? 200 : 1000 };
  // Every client here shares 127.0.0.1: the per-address cap is raised as for clients behind one proxy.
  await using kp = await startKplane({ args: ['--controllers', '-', '--max-connections-per-ip', '4000'] });
  const pid = kp.process.pid!;
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  await admin.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small' }, data: { a: 'b' } });
  await admin.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { v: 'x'.repeat(MiB) } });
  await admin.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quiet' } });
  const before = memoryOf(pid);

  const stop = new AbortController();
  const tally: Tally = {};
  const hostile: Promise<unknown>[] = [];
  // One in fifty reading watches follows the namespace with the 1 MiB object: enough to measure
  // fan-out of large events, without making the soak a fan-out benchmark of 1 MiB × 1,000.
  for (let i = 0; i < counts.watches; i++) readingWatch(kp, i % 50 === 0 ? 'default' : 'quiet', stop.signal, tally);
  const trickleHead = `POST ${CM} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n`;
  for (let i = 0; i < counts.tricklers; i++) hostile.push(loop(stop.signal, () => trickler(kp, trickleHead, 500, stop.signal, tally)));
  for (let i = 0; i < counts.stalled; i++) hostile.push(loop(stop.signal, () => stalledWatch(kp, stop.signal, tally)));
  let n = 0;
  hostile.push(
    loop(stop.signal, async () => {
      const r = await admin.put(`${CM}/big`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { v: String(n++ % 10).repeat(MiB) } }).catch(() => undefined);
      bump(tally, `big updates ${r?.status ?? 'error'}`);
    }),
  );
  const amplify = JSON.stringify(Array.from({ length: 150 }, (_, i) => ({ op: 'copy', from: '/data/v', path: `/data/${i}` })));
  hostile.push(
    loop(stop.signal, async () => {
      const p = await admin.patch(`${CM}/big`, amplify, 'application/json-patch+json').catch(() => undefined);
      bump(tally, `amplifying patches ${p?.status ?? 'error'}`);
      const c = await admin.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { v: 'y'.repeat(2 * MiB) } }).catch(() => undefined);
      bump(tally, `oversized creates ${c?.status ?? 'error'}`);
    }),
  );

  // The ordinary client: one GET at a time for the whole soak.
  const latencies: number[] = [];
  let errors = 0;
  let peakRss = 0;
  const start = performance.now();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(pid).rssMiB)), 500);
  // Where the memory is: V8 heap vs buffers outside it (socket writes, TLS), from /metrics.
  let peakHeap = 0;
  let peakExternal = 0;
  const metricSampler = setInterval(() => {
    void admin.get('/metrics', { headers: { Accept: 'text/plain' } }).then((m) => {
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(m.text)?.[1] ?? 0) / MiB;
      peakHeap = Math.max(peakHeap, value('nodejs_heap_size_used_bytes'));
      peakExternal = Math.max(peakExternal, value('nodejs_external_memory_bytes'));
    }, () => undefined);
  }, 2000);
  while (performance.now() - start < durationMs) {
    const t0 = performance.now();
    const r = await admin.get(`${CM}/small`).catch(() => undefined);
    if (r?.status === 200) latencies.push(performance.now() - t0);
    else errors++;
    await sleep(20);
  }
  clearInterval(sampler);
  clearInterval(metricSampler);
  const after = memoryOf(pid);
  stop.abort();
  await Promise.race([Promise.all(hostile), sleep(10_000)]);
  await sleep(10_000);
  const settled = memoryOf(pid);

  const stats = summarize(latencies, performance.now() - start);
  process.stdout.write(
    `\navailability soak: ${durationMs / 1000}s, ${counts.tricklers} tricklers, ${counts.stalled} non-reading watchers, ${counts.watches} reading watches, amplifying patches\n\n` +
      formatTable(['ordinary client', 'value'], [
        ['requests ok', stats.count],
        ['errors', errors],
        ['p50', formatMs(stats.p50Ms)],
        ['p99', formatMs(stats.p99Ms)],
        ['max', formatMs(stats.maxMs)],
      ]) +
      '\n\n' +
      formatTable(['server memory', 'MiB'], [
        ['RSS before', before.rssMiB.toFixed(0)],
        ['RSS peak (sampled)', peakRss.toFixed(0)],
        ['RSS at the end of the soak', after.rssMiB.toFixed(0)],
        ['RSS 10 s after the hostile clients stopped', settled.rssMiB.toFixed(0)],
        ['VmHWM (peak RSS)', after.peakMiB.toFixed(0)],
        ['V8 heap used, peak sampled', peakHeap.toFixed(0)],
        ['external (Buffers), peak sampled', peakExternal.toFixed(0)],
      ]) +
      '\n\n' +
      formatTable(['hostile clients', 'count'], Object.entries(tally).sort().map(([k, v]) => [k, v])) +
      `\n\nsummary: ordinary p99 ${formatMs(stats.p99Ms)}, ${errors} errors; server peak RSS ${after.peakMiB.toFixed(0)} MiB\n`,
  );
}

await main();
