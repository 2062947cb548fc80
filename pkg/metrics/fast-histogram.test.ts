import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram.ts';
import { promtoolCheckMetrics } from './testing.ts';

const BUCKETS = [0.005, 0.025, 0.1, 1];
const OBSERVATIONS: [Record<'verb' | 'resource', string>, number][] = [
  [{ verb: 'PATCH', resource: 'synctargets' }, 0.001],
  [{ verb: 'PATCH', resource: 'synctargets' }, 0.005], // on a bound: counted in it
  [{ verb: 'PATCH', resource: 'synctargets' }, 0.03],
  [{ verb: 'GET', resource: 'leases' }, 2], // above every bound: +Inf only
  [{ verb: 'PATCH', resource: 'synctargets' }, 0.2],
  [{ verb: 'GET', resource: 'leases' }, 0],
];

function both() {
  const promRegistry = new Registry();
  const fastRegistry = new Registry();
  const config = { name: 'kplane_test_seconds', help: 'A test histogram.', labelNames: ['verb', 'resource'] as const, buckets: BUCKETS };
  const prom = new Histogram({ ...config, labelNames: [...config.labelNames], registers: [promRegistry] });
  const fast = new FastHistogram({ ...config, registers: [fastRegistry] });
  return { prom, fast, promRegistry, fastRegistry };
}

test('the exposition equals prom-client\'s Histogram fed the same observations', async () => {
  const { prom, fast, promRegistry, fastRegistry } = both();
  for (const [labels, v] of OBSERVATIONS) {
    prom.observe(labels, v);
    fast.series(labels).observe(v);
  }
  const expected = await promRegistry.metrics();
  assert.equal(await fastRegistry.metrics(), expected);
  assert.ok(expected.includes('kplane_test_seconds_bucket{le="+Inf",verb="GET",resource="leases"} 2'), expected);
  assert.ok(promtoolCheckMetrics(await fastRegistry.metrics()).ok);
});

test('a series looked up again is the same series; reset empties the family', async () => {
  const { fast, fastRegistry } = both();
  const a = fast.series({ verb: 'PATCH', resource: 'synctargets' });
  assert.equal(fast.series({ resource: 'synctargets', verb: 'PATCH' }), a);
  assert.notEqual(fast.series({ verb: 'PATCH', resource: 'leases' }), a);
  a.observe(0.01);
  assert.match(await fastRegistry.metrics(), /kplane_test_seconds_count\{verb="PATCH",resource="synctargets"\} 1/);
  fastRegistry.resetMetrics();
  assert.doesNotMatch(await fastRegistry.metrics(), /_count/);
});

test('snapshots merge across registries as prom-client\'s do (another thread\'s metrics)', async () => {
  const one = both();
  const two = both();
  for (const [labels, v] of OBSERVATIONS) {
    one.prom.observe(labels, v);
    two.prom.observe(labels, v);
    one.fast.series(labels).observe(v);
    two.fast.series(labels).observe(v);
  }
  const merged = async (a: Registry, b: Registry) => AggregatorRegistry.aggregate([await a.getMetricsAsJSON(), await b.getMetricsAsJSON()]).metrics();
  assert.equal(await merged(one.fastRegistry, two.fastRegistry), await merged(one.promRegistry, two.promRegistry));
});

test('buckets that do not ascend are refused', () => {
  assert.throws(() => new FastHistogram({ name: 'x', help: 'x', labelNames: [], buckets: [1, 1], registers: [] }), RangeError);
});
