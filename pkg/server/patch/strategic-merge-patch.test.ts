import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, PatchError, strategicSchemaFor } from './index.ts';
import type { StrategicSchema } from './index.ts';

const deploymentSchema = strategicSchemaFor('apps/v1', 'Deployment') as StrategicSchema;
const cmSchema = strategicSchemaFor('v1', 'ConfigMap') as StrategicSchema;

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80 }],
            },
            { name: 'side', image: 'busybox' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
}

describe('applyStrategicMergePatch', () => {
  test('kubectl label: maps merge, null deletes', () => {
    const out = applyStrategicMergePatch({ metadata: { name: 'c', labels: { a: '1', b: '2' } }, data: { k: 'v' } }, { metadata: { labels: { a: null, c: '3' } } }, cmSchema);
    assert.deepEqual(out, { metadata: { name: 'c', labels: { b: '2', c: '3' } }, data: { k: 'v' } });
  });

  test('containers merge by name, env by name, ports by containerPort', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'web', image: 'nginx:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 443 }] }],
            },
          },
        },
      },
      deploymentSchema,
    );
    const c = out.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
    assert.equal(c.template.spec.containers.length, 2);
    assert.deepEqual(c.template.spec.containers[0], {
      name: 'web',
      image: 'nginx:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
        { name: 'C', value: '4' },
      ],
      ports: [{ containerPort: 80 }, { containerPort: 443 }],
    });
    assert.deepEqual(c.template.spec.containers[1], { name: 'side', image: 'busybox' });
  });

  test('$patch: delete removes one list item; $patch: replace replaces the list', () => {
    const del = applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, deploymentSchema);
    assert.deepEqual(
      (del.spec as { template: { spec: { containers: Array<{ name: string }> } } }).template.spec.containers.map((c) => c.name),
      ['web'],
    );
    const rep = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } },
      deploymentSchema,
    );
    assert.deepEqual((rep.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  test('$patch on maps: replace and delete', () => {
    const rep = applyStrategicMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { $patch: 'replace', c: '3' } } }, cmSchema);
    assert.deepEqual(rep, { metadata: { labels: { c: '3' } } });
    const del = applyStrategicMergePatch({ metadata: { name: 'x', labels: { a: '1' } } }, { metadata: { labels: { $patch: 'delete' } } }, cmSchema);
    assert.deepEqual(del, { metadata: { name: 'x' } });
    assert.throws(() => applyStrategicMergePatch({}, { metadata: { $patch: 'explode' } }, cmSchema), (e: unknown) => e instanceof PatchError && e.kind === 'BadRequest');
  });

  test('lists without a strategy are replaced whole', () => {
    const role = { rules: [{ verbs: ['get'] }, { verbs: ['list'] }] };
    const out = applyStrategicMergePatch(role, { rules: [{ verbs: ['watch'] }] }, strategicSchemaFor('rbac.authorization.k8s.io/v1', 'Role') as StrategicSchema);
    assert.deepEqual(out, { rules: [{ verbs: ['watch'] }] });
  });

  test('finalizers: primitive union, $deleteFromPrimitiveList, $setElementOrder', () => {
    const obj = { metadata: { finalizers: ['a', 'b'] } };
    assert.deepEqual(applyStrategicMergePatch(obj, { metadata: { finalizers: ['b', 'c'] } }, cmSchema), { metadata: { finalizers: ['a', 'b', 'c'] } });
    assert.deepEqual(
      applyStrategicMergePatch(obj, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, cmSchema),
      { metadata: { finalizers: ['b'] } },
    );
    assert.deepEqual(
      applyStrategicMergePatch(obj, { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } }, cmSchema),
      { metadata: { finalizers: ['c', 'b', 'a'] } },
    );
  });

  test('$setElementOrder on a keyed list (what kubectl apply sends)', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
              containers: [{ name: 'side', image: 'busybox:2' }],
            },
          },
        },
      },
      deploymentSchema,
    );
    const names = (out.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers;
    assert.deepEqual(names.map((c) => `${c.name}=${c.image}`), ['side=busybox:2', 'web=nginx:1']);
  });

  test('$retainKeys clears keys of a union (Deployment strategy)', () => {
    const out = applyStrategicMergePatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema);
    assert.deepEqual((out.spec as { strategy: unknown }).strategy, { type: 'Recreate' });
    assert.throws(
      () => applyStrategicMergePatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deploymentSchema),
      (e: unknown) => e instanceof PatchError && e.kind === 'BadRequest',
    );
  });

  test('ownerReferences merge by uid', () => {
    const obj = { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } };
    const out = applyStrategicMergePatch(obj, { metadata: { ownerReferences: [{ uid: '2', name: 'b' }, { uid: '1', controller: true }] } }, cmSchema);
    assert.deepEqual(out, { metadata: { ownerReferences: [{ uid: '1', name: 'a', controller: true }, { uid: '2', name: 'b' }] } });
  });

  test('items without the merge key are a 400', () => {
    assert.throws(
      () => applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deploymentSchema),
      { name: 'PatchError', message: 'map: {"image":"x"} does not contain declared merge key: name' },
    );
  });

  test('does not touch inputs; __proto__ stays data', () => {
    const obj = deployment();
    const before = JSON.stringify(obj);
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}') as unknown;
    const out = applyStrategicMergePatch(obj, patch, deploymentSchema);
    assert.equal(JSON.stringify(obj), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const labels = (out.metadata as { labels: object }).labels;
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.ok(Object.keys(labels).includes('__proto__'));
  });

  test('long keyed lists merge in linear time', () => {
    const env = Array.from({ length: 20_000 }, (_, i) => ({ name: `V${i}`, value: String(i) }));
    const obj = { spec: { template: { spec: { containers: [{ name: 'c', env }] } } } };
    const patchEnv = Array.from({ length: 20_000 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
    const out = applyStrategicMergePatch(obj, { spec: { template: { spec: { containers: [{ name: 'c', env: patchEnv }] } } } }, deploymentSchema);
    const merged = (out.spec as { template: { spec: { containers: Array<{ env: Array<{ value: string }> }> } } }).template.spec.containers[0]?.env;
    assert.equal(merged?.length, 20_000);
    assert.equal(merged?.[19_999]?.value, 'x');
  });

  test('random patches only ever throw PatchError', () => {
    let seed = 99;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const keys = ['metadata', 'labels', 'finalizers', '$patch', '$retainKeys', '$setElementOrder/finalizers', '$deleteFromPrimitiveList/finalizers', 'spec', 'name', '__proto__'];
    const gen = (d: number): unknown => {
      const r = rnd(7);
      if (d > 3 || r === 0) return [null, 'delete', 'replace', 'merge', 1, 'x'][rnd(6)];
      if (r < 3) return Array.from({ length: rnd(3) }, () => gen(d + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < rnd(4); i++) Object.defineProperty(o, keys[rnd(keys.length)] ?? 'k', { value: gen(d + 1), enumerable: true, writable: true, configurable: true });
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const patch = gen(0);
      try {
        applyStrategicMergePatch(deployment(), patch, deploymentSchema);
      } catch (e) {
        assert.ok(e instanceof PatchError, `${JSON.stringify(patch)}: ${String(e)}`);
      }
    }
  });
});
