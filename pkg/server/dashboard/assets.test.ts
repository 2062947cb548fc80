// Unit tests of the dashboard's browser modules that need no DOM (they are plain JavaScript
// served as is, so they are imported by URL and typed here by hand).
import assert from 'node:assert/strict';
import { test } from 'node:test';

const load = async <T>(name: string): Promise<T> => (await import(new URL(`./assets/${name}`, import.meta.url).href)) as T;

interface FormatModule {
  formatAge(ms: number): string;
  describeCondition(c: { type: string; status: string; reason?: string; message?: string } | undefined, type: string): { text: string; state: string };
  formatResources(l: Record<string, string> | undefined): string;
  formatCells(c: Record<string, string> | undefined): string;
  parseStartPaths(text: string): string[];
}
interface TreeNode { path: string; children: TreeNode[] }
interface Src { items: Map<string, unknown>; state: string; cluster: string }
interface PlacementView {
  cluster: string; placements: string; namespaces: string;
  items: { name: string; phase: string; location: string }[];
  placed: { namespace: string; target: string; targetCluster: string }[];
}
interface FleetModule {
  buildTree(paths: string[]): TreeNode[];
  childPath(parent: string, name: string): string;
  placementViews(sources: [string, Src | undefined, Src | undefined][], targets: { cluster: string; obj: unknown }[]): PlacementView[];
}
interface LinesModule { readJSONLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> }

test('formatAge: two units at most', async () => {
  const { formatAge } = await load<FormatModule>('format.js');
  assert.equal(formatAge(0), '0s');
  assert.equal(formatAge(-5000), '0s', 'a browser clock slightly behind the server');
  assert.equal(formatAge(59_999), '59s');
  assert.equal(formatAge(65_000), '1m 05s');
  assert.equal(formatAge(2 * 3600_000 + 4 * 60_000), '2h 04m');
  assert.equal(formatAge(3 * 86400_000 + 2 * 3600_000), '3d 02h');
  assert.equal(formatAge(Number.NaN), 'unknown');
});

test('describeCondition says the status in words', async () => {
  const { describeCondition } = await load<FormatModule>('format.js');
  assert.deepEqual(describeCondition({ type: 'Ready', status: 'True' }, 'Ready').text, 'Ready');
  const down = describeCondition({ type: 'Ready', status: 'False', reason: 'ErrorHeartbeat' }, 'Ready');
  assert.deepEqual([down.text, down.state], ['Not ready (ErrorHeartbeat)', 'false']);
  assert.equal(describeCondition({ type: 'HeartbeatHealthy', status: 'Unknown' }, 'HeartbeatHealthy').state, 'unknown');
  assert.deepEqual(describeCondition(undefined, 'SyncerDeployed').text, 'Not reported');
});

test('resources, cells and start paths', async () => {
  const { formatResources, formatCells, parseStartPaths } = await load<FormatModule>('format.js');
  assert.equal(formatResources({ memory: '32Gi', cpu: '8' }), 'cpu 8, memory 32Gi');
  assert.equal(formatResources(undefined), '—');
  assert.equal(formatCells({ zone: 'a', region: 'eu' }), 'region=eu, zone=a');
  assert.deepEqual(parseStartPaths(' root, root:ws-a  root:ws-a\nBad root:: x:-y '), ['root', 'root:ws-a']);
});

test('buildTree nests paths under their parents; orphans are top level', async () => {
  const { buildTree, childPath } = await load<FleetModule>('fleet.js');
  assert.equal(childPath('root:a', 'b'), 'root:a:b');
  const tree = buildTree(['root:a:b', 'root', 'root:a', 'root:x:y']);
  const shape = (n: TreeNode): unknown => [n.path, n.children.map(shape)];
  assert.deepEqual(tree.map(shape), [['root', [['root:a', [['root:a:b', []]]]]], ['root:x:y', []]]);
});

test('placementViews: namespaces resolved to SyncTargets by key label, per workspace, access in words', async () => {
  const { placementViews } = await load<FleetModule>('fleet.js');
  const obj = (cluster: string, name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) =>
    ({ metadata: { name, labels, annotations: { 'kcp.io/cluster': cluster } }, ...extra });
  const src = (cluster: string, state: string, objs: unknown[]): Src =>
    ({ cluster, state, items: new Map(objs.map((o, i) => [String(i), o])) });
  const targets = [
    { cluster: 'root:team', obj: obj('root:team', 'edge', {}, { 'internal.workload.kcp.io/key': 'K1' }) },
    { cluster: 'root:infra', obj: obj('root:infra', 'far', {}, { 'internal.workload.kcp.io/key': 'K2' }) },
  ];
  const placements = src('root:team', 'live', [
    obj('root:team', 'web', { status: { phase: 'Bound', selectedLocation: { path: 'root:team', locationName: 'default' } } }),
    obj('root:team', 'idle', { status: { phase: 'Pending' } }),
  ]);
  const namespaces = src('root:team', 'polling', [
    obj('root:team', 'web', {}, { 'state.workload.kcp.io/K1': 'Sync', app: 'web' }),
    obj('root:team', 'api', {}, { 'state.workload.kcp.io/K2': 'Sync' }),
    obj('root:team', 'gone', {}, { 'state.workload.kcp.io/K3': 'Sync' }),
    obj('root:team', 'leaving', {}, { 'state.workload.kcp.io/K1': '' }),
    { metadata: { name: 'moving', labels: { 'state.workload.kcp.io/K1': 'Sync', 'state.workload.kcp.io/K2': 'Sync' }, annotations: { 'kcp.io/cluster': 'root:team', 'deletion.internal.workload.kcp.io/K2': '2026-06-01T00:00:00Z' } } },
    obj('root:team', 'plain'),
  ]);
  const views = placementViews([['root:team', placements, namespaces], ['root', src('root', 'forbidden', []), src('root', 'forbidden', [])]], targets);
  assert.deepEqual(views.map((v) => [v.cluster, v.placements, v.namespaces]), [['root', 'forbidden', 'forbidden'], ['root:team', 'ok', 'ok']]);
  const team = views[1]!;
  assert.deepEqual(team.items, [
    { name: 'idle', phase: 'Pending', location: '' },
    { name: 'web', phase: 'Bound', location: 'root:team/default' },
  ]);
  assert.deepEqual(team.placed, [
    { namespace: 'api', target: 'far', targetCluster: 'root:infra' },
    { namespace: 'gone', target: 'key K3', targetCluster: '' },
    { namespace: 'moving', target: 'edge', targetCluster: 'root:team' },
    { namespace: 'web', target: 'edge', targetCluster: 'root:team' },
  ], 'only Sync labels, not those being left (deletion annotation); a key of an invisible target is shown as the key');
  // The wildcard (operator) source groups by each object's cluster.
  const wild = placementViews([['', src('', 'live', [...placements.items.values()]), src('', 'live', [obj('root:x', 'n', {}, { 'state.workload.kcp.io/K1': 'Sync' })])]], targets);
  assert.deepEqual(wild.map((v) => [v.cluster, v.items.length, v.placed.map((x) => x.target)]), [['root:team', 2, []], ['root:x', 0, ['edge']]]);
});

test('readJSONLines: objects split across chunks, several per chunk, no final newline', async () => {
  const { readJSONLines } = await load<LinesModule>('jsonlines.js');
  const text = '{"type":"ADDED","object":{"n":1}}\n{"type":"MODIFIED",' + '"object":{"n":"é"}}\n\n{"type":"DELETED","object":{"n":3}}';
  const bytes = new TextEncoder().encode(text);
  // Cut inside a line and inside the two-byte "é".
  const e = bytes.indexOf(0xc3);
  const cuts = [0, 10, e + 1, e + 9, bytes.length];
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 1; i < cuts.length; i++) c.enqueue(bytes.slice(cuts[i - 1], cuts[i]));
      c.close();
    },
  });
  const got: unknown[] = [];
  for await (const o of readJSONLines(body)) got.push(o);
  assert.deepEqual(got, [{ type: 'ADDED', object: { n: 1 } }, { type: 'MODIFIED', object: { n: 'é' } }, { type: 'DELETED', object: { n: 3 } }]);
});

interface InformerLike {
  items: Map<string, { metadata: { name: string } }>;
  state: string;
  start(): InformerLike;
  stop(): void;
}
interface ApiModule {
  Api: new (token: string) => { clockOffsetMs: number };
  WatchBudget: new (max: number) => { used: number };
  Informer: new (o: { api: unknown; path: string; cluster?: string; budget: unknown; onChange: () => void; onState: (s: string, d: string) => void }) => InformerLike;
}

/** A scripted server: each request takes the next answer; the test sees every URL asked for. */
function fakeFetch(answers: ((url: string) => Response)[]) {
  const urls: string[] = [];
  let waiting: (() => void)[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    urls.push(url);
    assert.equal(new Headers(init?.headers).get('Authorization'), 'Bearer t0ken', 'the user\'s token on every request');
    const next = answers.shift();
    for (const w of waiting) w();
    waiting = [];
    if (next) return next(url);
    // Out of script: hang like an idle watch until the informer is stopped.
    return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
  };
  const requests = async (n: number) => {
    while (urls.length < n) await new Promise<void>((r) => waiting.push(r));
  };
  return { fn, urls, requests };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', Date: new Date(Date.now() + 60_000).toUTCString() } });
const stream = (...events: unknown[]) => new Response(events.map((e) => JSON.stringify(e) + '\n').join(''), { status: 200 });
const obj = (name: string, rv: string) => ({ metadata: { name, resourceVersion: rv, annotations: { 'kcp.io/cluster': 'root:a' } } });

test('Informer: list, watch from its resourceVersion, reconnect from the last event, re-list on 410', async (t) => {
  const { Api, WatchBudget, Informer } = await load<ApiModule>('api.js');
  const server = fakeFetch([
    () => json({ metadata: { resourceVersion: '5' }, items: [obj('a', '4')] }),
    // A stream that ends normally after one event: reconnect from rv 6, no re-list.
    () => stream({ type: 'ADDED', object: obj('b', '6') }),
    // Then the server has compacted rv 6 away: 410 in the stream, so list again.
    () => stream({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }),
    () => json({ metadata: { resourceVersion: '9' }, items: [obj('c', '9')] }),
    // A watch answered 410 outright (not in the stream): also a re-list.
    () => json({ kind: 'Status', code: 410 }, 410),
    () => json({ metadata: { resourceVersion: '12' }, items: [obj('c', '9'), obj('d', '12')] }),
  ]);
  const realFetch = globalThis.fetch;
  globalThis.fetch = server.fn as typeof fetch;
  t.after(() => { globalThis.fetch = realFetch; });
  const api = new Api('t0ken');
  const budget = new WatchBudget(1);
  const states: string[] = [];
  const informer = new Informer({ api, path: '/clusters/root:a/apis/g/v1/things', cluster: 'root:a', budget, onChange: () => undefined, onState: (s) => states.push(s) }).start();
  await server.requests(7);
  informer.stop();
  const u = server.urls.map((x) => new URL(x, 'https://h'));
  const shape = u.map((x) => `${x.searchParams.get('watch') ? 'watch' : 'list'}@${x.searchParams.get('resourceVersion') ?? ''}`);
  assert.deepEqual(shape, ['list@', 'watch@5', 'watch@6', 'list@', 'watch@9', 'list@', 'watch@12']);
  assert.ok(u.every((x) => x.pathname === '/clusters/root:a/apis/g/v1/things'));
  assert.equal(u[1]!.searchParams.get('allowWatchBookmarks'), 'true');
  assert.deepEqual([...informer.items.values()].map((o) => o.metadata.name).sort(), ['c', 'd'], 'the last list replaced what came before');
  assert.ok(states.includes('live'));
  assert.ok(Math.abs(api.clockOffsetMs - 60_000) < 5_000, `server clock offset taken from Date: ${api.clockOffsetMs}`);
  await new Promise((r) => setImmediate(r));
  assert.equal(budget.used, 0, 'the watch slot is given back when the informer stops');
});

test('Informer: access lost after a list empties what was shown', async (t) => {
  const { Api, WatchBudget, Informer } = await load<ApiModule>('api.js');
  const server = fakeFetch([
    () => json({ metadata: { resourceVersion: '5' }, items: [obj('a', '4')] }),
    // The watch is refused (a binding was removed): list again, which says 403.
    () => json({ kind: 'Status', code: 403 }, 403),
    () => json({ kind: 'Status', code: 403, message: 'forbidden' }, 403),
  ]);
  const realFetch = globalThis.fetch;
  globalThis.fetch = server.fn as typeof fetch;
  t.after(() => { globalThis.fetch = realFetch; });
  const sizes: number[] = [];
  let forbidden!: () => void;
  const refused = new Promise<void>((r) => (forbidden = r));
  const informer: InformerLike = new Informer({
    api: new Api('t0ken'), path: '/clusters/root:a/apis/g/v1/things', cluster: 'root:a', budget: new WatchBudget(1),
    onChange: () => sizes.push(informer.items.size),
    onState: (s) => { if (s === 'forbidden') forbidden(); },
  }).start();
  await refused;
  informer.stop();
  assert.equal(informer.items.size, 0);
  assert.deepEqual(sizes, [1, 0], 'shown, then taken away');
  assert.equal(server.urls.length, 3);
});

test('Informer: 403 is "forbidden" (no access), 401 is "unauthorized", without a watch', async (t) => {
  const { Api, WatchBudget, Informer } = await load<ApiModule>('api.js');
  for (const [code, want] of [[403, 'forbidden'], [401, 'unauthorized']] as const) {
    const server = fakeFetch([() => json({ kind: 'Status', code, message: 'no' }, code)]);
    const realFetch = globalThis.fetch;
    globalThis.fetch = server.fn as typeof fetch;
    t.after(() => { globalThis.fetch = realFetch; });
    const states: string[] = [];
    let resolveState!: () => void;
    const settled = new Promise<void>((r) => (resolveState = r));
    const informer = new Informer({ api: new Api('t0ken'), path: '/clusters/root/apis/g/v1/things', budget: new WatchBudget(1), onChange: () => undefined, onState: (s) => { states.push(s); resolveState(); } }).start();
    await settled;
    informer.stop();
    globalThis.fetch = realFetch;
    assert.deepEqual(states, [want], `HTTP ${code}`);
    assert.equal(server.urls.length, 1, 'no watch after a refused list');
  }
});
