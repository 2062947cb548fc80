import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../client/object.ts';
import { parseLabelSelector } from '../labels/index.ts';
import { CLUSTER_AND_NAMESPACE_INDEX, CLUSTER_INDEX, Indexer } from './indexer.ts';
import { keyOf, splitKey } from './keys.ts';
import { Lister } from './lister.ts';

const o = (cluster: string, ns: string, name: string, labels: Record<string, string> = {}, secret = ''): KubeObject => ({
  metadata: { name, namespace: ns || undefined, labels, annotations: { 'kcp.io/cluster': cluster } },
  spec: { secret },
});

test('keys are cluster|namespace/name', () => {
  assert.equal(keyOf(o('root:org', 'default', 'x')), 'root:org|default/x');
  assert.equal(keyOf(o('root', '', 'x')), 'root|x');
  assert.deepEqual(splitKey('root:org|default/x'), { cluster: 'root:org', namespace: 'default', name: 'x' });
  assert.deepEqual(splitKey('root|x'), { cluster: 'root', namespace: '', name: 'x' });
});

test('indexes follow updates and removals; custom indexes work', () => {
  const idx = new Indexer<KubeObject>({ bySecret: (x) => [String((x.spec as { secret: string }).secret)] });
  idx.upsert(o('root', 'a', 'x', {}, 's1'));
  idx.upsert(o('root', 'b', 'y', {}, 's1'));
  idx.upsert(o('root:org', 'a', 'x', {}, 's2'));
  assert.equal(idx.byIndex(CLUSTER_INDEX, 'root').length, 2);
  assert.equal(idx.byIndex(CLUSTER_AND_NAMESPACE_INDEX, 'root|a').length, 1);
  assert.equal(idx.byIndex('bySecret', 's1').length, 2);
  idx.upsert(o('root', 'b', 'y', {}, 's2'));
  assert.equal(idx.byIndex('bySecret', 's1').length, 1);
  assert.equal(idx.byIndex('bySecret', 's2').length, 2);
  idx.remove('root|a/x');
  assert.equal(idx.byIndex(CLUSTER_INDEX, 'root').length, 1);
  assert.equal(idx.byIndex('bySecret', 's1').length, 0);
  idx.addIndexers({ late: (x) => [x.metadata.name ?? ''] });
  assert.equal(idx.byIndex('late', 'x').length, 1);
});

test('listers scope by cluster and namespace and filter by labels', () => {
  const idx = new Indexer<KubeObject>();
  idx.upsert(o('root', 'default', 'a', { env: 'prod' }));
  idx.upsert(o('root', 'default', 'b', { env: 'dev' }));
  idx.upsert(o('root', 'other', 'c', { env: 'prod' }));
  idx.upsert(o('root:org', 'default', 'a', { env: 'prod' }));
  const lister = new Lister(idx);
  assert.equal(lister.list().length, 4);
  assert.equal(lister.cluster('root').list().length, 3);
  assert.equal(lister.cluster('root').namespace('default').list(parseLabelSelector('env=prod')).length, 1);
  assert.equal(lister.cluster('root:org').namespace('default').get('a')?.metadata.name, 'a');
  assert.equal(lister.cluster('root:other').list().length, 0);
});
