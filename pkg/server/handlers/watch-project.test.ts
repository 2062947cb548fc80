// project(): what one watcher sees of a storage event, and that a watcher without a selector
// never makes the previous version be decoded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazyPrevEvent } from '../../storage/object-codec.ts';
import type { KObject } from '../registry/object.ts';
import { project } from './watch.ts';

const st = (labels: Record<string, string>, rv: string) => ({ metadata: { name: 'a', labels, resourceVersion: rv } });

/** A MODIFIED event whose previous version counts how often it is decoded. */
function modified(prevLabels: Record<string, string>, labels: Record<string, string>) {
  const ev = new LazyPrevEvent('MODIFIED', '/k/a', st(labels, '2'), 2, 10, JSON.stringify(st(prevLabels, '1')), 1);
  let decoded = 0;
  const proto = Object.getPrototypeOf(ev) as object;
  const get = Object.getOwnPropertyDescriptor(proto, 'prevObject')!.get!;
  Object.defineProperty(ev, 'prevObject', {
    get() {
      decoded++;
      return get.call(ev);
    },
  });
  return { ev, decoded: () => decoded };
}

const hasX = (o: KObject) => o.metadata.labels?.x === '1';

test('without a selector every event passes unchanged and the previous version is never read', () => {
  const { ev, decoded } = modified({ x: '1' }, {});
  assert.deepEqual(project(ev, undefined), { type: 'MODIFIED', object: ev.object });
  assert.equal(project({ type: 'ADDED', key: '/k/a', object: st({}, '1'), revision: 1, size: 1 }, undefined)?.type, 'ADDED');
  assert.equal(project({ type: 'DELETED', key: '/k/a', object: st({}, '3'), revision: 3, size: 1 }, undefined)?.type, 'DELETED');
  assert.equal(decoded(), 0);
});

test('with a selector, entering is ADDED, leaving is DELETED, staying out is dropped', () => {
  assert.equal(project(modified({}, { x: '1' }).ev, hasX)?.type, 'ADDED');
  assert.equal(project(modified({ x: '1' }, {}).ev, hasX)?.type, 'DELETED');
  assert.equal(project(modified({ x: '1' }, { x: '1' }).ev, hasX)?.type, 'MODIFIED');
  assert.equal(project(modified({}, {}).ev, hasX), undefined);
});
