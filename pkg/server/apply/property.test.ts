// Property: whatever managedFields an object carries (Update entries with `.` members, Apply
// entries rewritten by kubectl's client-side-apply upgrade, several managers), a successful
// apply stores every value its configuration sets, and a field only the applier owned and no
// longer sends is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyError, recordUpdate, serverSideApply } from './index.ts';
import type { ManagedFieldsEntry } from './index.ts';

type Obj = Record<string, unknown>;

function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

/** A SyncTarget-shaped object: nested granular maps of scalars only. */
function randomSpec(rnd: (n: number) => number, depth = 0): Obj {
  const out: Obj = {};
  for (const k of ['a', 'b', 'c', 'd']) {
    const r = rnd(6);
    if (r === 0) continue;
    if (r === 1 && depth < 2) out[k] = randomSpec(rnd, depth + 1);
    else out[k] = ['x', 'y', 1, true][rnd(4)];
  }
  return out;
}

const st = (spec: Obj, labels?: Obj): Obj => ({ apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 's', ...(labels ? { labels } : {}) }, spec });

function leaves(v: unknown, path: string[] = []): Array<[string[], unknown]> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Obj);
    if (entries.length === 0) return [[path, v]];
    return entries.flatMap(([k, x]) => leaves(x, [...path, k]));
  }
  return [[path, v]];
}

const at = (v: unknown, path: string[]) => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Obj)[k] : undefined), v);

test('applied values always land; fields only the applier dropped are gone', () => {
  const rnd = rng(7);
  const opts = { apiVersion: 'workload.kcp.io/v1alpha1', now: new Date(0) };
  let conflicts = 0;
  for (let i = 0; i < 800; i++) {
    // History: a create by an updater, maybe an edit, maybe kubectl's upgrade to Apply.
    let obj = recordUpdate(undefined, st(randomSpec(rnd), rnd(2) ? { team: 'a' } : undefined), 'kubectl-client-side-apply', opts);
    if (rnd(2)) obj = recordUpdate(obj, { ...obj, spec: { ...(obj.spec as Obj), ...randomSpec(rnd) } }, 'kubectl-edit', opts);
    if (rnd(2)) {
      const meta = obj.metadata as Obj & { managedFields?: ManagedFieldsEntry[] };
      meta.managedFields = (meta.managedFields ?? []).map((e) => (e.manager === 'kubectl-client-side-apply' ? { ...e, manager: 'kubectl', operation: 'Apply' as const } : e));
    }
    const first = rnd(3) === 0 ? undefined : randomSpec(rnd);
    if (first) {
      try {
        obj = serverSideApply({ live: obj, config: st(first), manager: 'kubectl', force: rnd(2) === 0, ...opts }).object;
      } catch (e) {
        assert.ok(e instanceof ApplyError && e.kind === 'Conflict');
      }
    }
    const config = st(randomSpec(rnd));
    const force = rnd(3) === 0;
    let out: Obj;
    try {
      out = serverSideApply({ live: obj, config, manager: 'kubectl', force, ...opts }).object;
    } catch (e) {
      assert.ok(e instanceof ApplyError && e.kind === 'Conflict', String(e));
      conflicts++;
      continue;
    }
    for (const [path, value] of leaves(config.spec, ['spec'])) {
      const got = at(out, path);
      const where = `${path.join('.')} of ${JSON.stringify(config)} over ${JSON.stringify(obj)}`;
      // An applied empty map owns the map, it does not clear what others put in it.
      if (typeof value === 'object' && value !== null) assert.ok(typeof got === 'object' && got !== null, where);
      else assert.deepEqual(got, value, where);
    }
    assert.equal((out.metadata as Obj).name, 's');
    if (!force) {
      const before = ((obj.metadata as Obj).managedFields ?? []) as ManagedFieldsEntry[];
      const ownedPaths = (e: ManagedFieldsEntry) => leaves(e.fieldsV1).map(([p]) => p.filter((x) => x !== '.').map((x) => x.slice(2)).join('.'));
      const mine = before.filter((e) => e.manager === 'kubectl' && e.operation === 'Apply').flatMap(ownedPaths);
      const theirs = before.filter((e) => !(e.manager === 'kubectl' && e.operation === 'Apply')).flatMap(ownedPaths);
      const applied = leaves(config.spec, ['spec']).map(([p]) => p.join('.'));
      const touches = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
      for (const p of mine) {
        if (!p.startsWith('spec.') || applied.some((a) => touches(a, p)) || theirs.some((t) => touches(t, p))) continue;
        assert.equal(at(out, p.split('.')), undefined, `${p} was only kubectl's and is no longer applied: ${JSON.stringify(out)}`);
      }
      for (const p of theirs) {
        if (!p.startsWith('spec.') || applied.some((a) => touches(a, p))) continue;
        assert.deepEqual(at(out, p.split('.')), at(obj, p.split('.')), `${p} belongs to another manager: ${JSON.stringify(out)}`);
      }
    }
    // Nothing is owned that the object does not hold.
    const mf = ((out.metadata as Obj).managedFields ?? []) as ManagedFieldsEntry[];
    for (const e of mf) {
      for (const [path] of leaves(e.fieldsV1)) {
        const fields = path.filter((p) => p !== '.').map((p) => p.slice(2));
        assert.notEqual(at(out, fields), undefined, `${e.manager} owns missing ${fields.join('.')} in ${JSON.stringify(out)}`);
      }
    }
  }
  // The generator must exercise both outcomes.
  assert.ok(conflicts > 0 && conflicts < 800, `conflicts: ${conflicts}`);
});
