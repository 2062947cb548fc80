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
interface FleetModule { buildTree(paths: string[]): TreeNode[]; childPath(parent: string, name: string): string }
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
