import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyError, recordUpdate, serverSideApply } from './index.ts';

// Random configurations, live objects and stored managedFields: only ApplyError may escape,
// and whatever is produced must round-trip through JSON with no prototype pollution.
test('random applies and updates only ever throw ApplyError', () => {
  let seed = 2024;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const keys = ['spec', 'status', 'metadata', 'labels', 'finalizers', 'containers', 'name', 'image', '__proto__', 'constructor', 'template'];
  const gen = (d: number): unknown => {
    const r = rnd(8);
    if (d > 4 || r === 0) return [null, 1, 'x', true, 'y'][rnd(5)];
    if (r < 3) return Array.from({ length: rnd(3) }, () => gen(d + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < rnd(4); i++) {
      Object.defineProperty(o, keys[rnd(keys.length)] ?? 'k', { value: gen(d + 1), enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  const managers = ['a', 'b', 'c'];
  for (let i = 0; i < 1500; i++) {
    const kind = rnd(2) === 0 ? { apiVersion: 'apps/v1', kind: 'Deployment' } : { apiVersion: 'v1', kind: 'ConfigMap' };
    const live = { ...kind, ...(gen(1) as object), metadata: rnd(6) === 0 ? gen(1) : { name: 'x', managedFields: rnd(3) === 0 ? gen(2) : undefined } };
    const config = rnd(5) === 0 ? gen(0) : { ...kind, ...(gen(1) as object) };
    try {
      const { object } = serverSideApply({
        live: rnd(4) === 0 ? undefined : live,
        config,
        manager: managers[rnd(3)] ?? 'a',
        force: rnd(2) === 0,
        apiVersion: kind.apiVersion,
        now: new Date(0),
      });
      JSON.parse(JSON.stringify(object));
      const updated = { ...object, spec: gen(1), metadata: rnd(5) === 0 ? gen(1) : object.metadata };
      recordUpdate(object, updated, managers[rnd(3)] ?? 'a', { apiVersion: kind.apiVersion, now: new Date(0) });
    } catch (e) {
      assert.ok(e instanceof ApplyError, `${JSON.stringify(config)}: ${String(e)}`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  }
});
