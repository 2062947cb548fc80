import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import { BOOTSTRAP_CLUSTER_ROLES } from './bootstrap.ts';
import { breakdownRule, compactRules, formatRule, MAX_SIMPLE_RULES, uncoveredRules } from './coverage.ts';

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const url = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });
const covers = (owner: PolicyRule[], servant: PolicyRule[]) => uncoveredRules(owner, servant).length === 0;

describe('rule coverage', () => {
  test('owner wildcards cover everything of their kind; a servant wildcard needs an owner wildcard', () => {
    const all = [r(['*'], ['*'], ['*'])];
    assert.ok(covers(all, [r(['get', 'delete'], ['', 'apps'], ['configmaps', 'deployments/status'], ['x'])]));
    assert.ok(covers(all, [r(['*'], ['*'], ['*'])]));
    assert.ok(!covers(all, [url(['get'], ['/metrics'])]), 'resource rules never cover non-resource URLs');
    assert.ok(!covers([r(['get', 'list'], [''], ['configmaps'])], [r(['*'], [''], ['configmaps'])]));
    assert.ok(!covers([r(['get'], ['', 'apps'], ['configmaps'])], [r(['get'], ['*'], ['configmaps'])]));
    assert.ok(!covers([r(['get'], [''], ['configmaps', 'secrets'])], [r(['get'], [''], ['*'])]));
    assert.ok(covers([r(['get'], ['*'], ['configmaps'])], [r(['get'], ['', 'apps', 'x.io'], ['configmaps'])]));
  });

  test('verbs, groups and resources must all be held', () => {
    const owner = [r(['get', 'list'], [''], ['configmaps']), r(['create'], ['apps'], ['deployments'])];
    assert.ok(covers(owner, [r(['get'], [''], ['configmaps'])]));
    assert.ok(!covers(owner, [r(['delete'], [''], ['configmaps'])]));
    assert.ok(!covers(owner, [r(['get'], ['apps'], ['configmaps'])]));
    assert.ok(!covers(owner, [r(['get'], [''], ['secrets'])]));
    assert.ok(!covers(owner, [r(['create'], [''], ['deployments'])]), 'create is held on apps/deployments, not core');
  });

  test('a servant rule may be covered by several owner rules together', () => {
    const owner = [r(['get'], [''], ['configmaps']), r(['list'], [''], ['configmaps']), r(['get', 'list'], [''], ['secrets'])];
    assert.ok(covers(owner, [r(['get', 'list'], [''], ['configmaps', 'secrets'])]));
    assert.deepEqual(uncoveredRules(owner, [r(['get', 'list', 'watch'], [''], ['configmaps', 'secrets'])]), [
      r(['watch'], [''], ['configmaps']),
      r(['watch'], [''], ['secrets']),
    ]);
  });

  test('subresources: exact, the owner wildcard, or */sub; the parent alone is not enough', () => {
    assert.ok(!covers([r(['patch'], ['w'], ['synctargets'])], [r(['patch'], ['w'], ['synctargets/status'])]));
    assert.ok(covers([r(['patch'], ['w'], ['synctargets/status'])], [r(['patch'], ['w'], ['synctargets/status'])]));
    assert.ok(covers([r(['patch'], ['w'], ['*/status'])], [r(['patch'], ['w'], ['synctargets/status', 'things/status'])]));
    assert.ok(!covers([r(['patch'], ['w'], ['*/status'])], [r(['patch'], ['w'], ['synctargets'])]));
    assert.ok(!covers([r(['patch'], ['w'], ['synctargets/status'])], [r(['patch'], ['w'], ['*/status'])]));
  });

  test('resourceNames: an owner without names covers any; named owners cover only their names', () => {
    assert.ok(covers([r(['get'], [''], ['secrets'])], [r(['get'], [''], ['secrets'], ['a', 'b'])]));
    assert.ok(covers([r(['get'], [''], ['secrets'], ['a', 'b', 'c'])], [r(['get'], [''], ['secrets'], ['a', 'c'])]));
    assert.ok(covers([r(['get'], [''], ['secrets'], ['a']), r(['get'], [''], ['secrets'], ['b'])], [r(['get'], [''], ['secrets'], ['a', 'b'])]));
    assert.deepEqual(uncoveredRules([r(['get'], [''], ['secrets'], ['a'])], [r(['get'], [''], ['secrets'], ['a', 'z'])]), [r(['get'], [''], ['secrets'], ['z'])]);
    assert.ok(!covers([r(['get'], [''], ['secrets'], ['a'])], [r(['get'], [''], ['secrets'])]), 'a named grant does not cover every name');
  });

  test('non-resource URLs: exact or an owner prefix ending in *', () => {
    assert.ok(covers([url(['get'], ['/metrics'])], [url(['get'], ['/metrics'])]));
    assert.ok(!covers([url(['get'], ['/metrics'])], [url(['get'], ['/metrics/x'])]));
    assert.ok(covers([url(['get'], ['/api/*'])], [url(['get'], ['/api/v1', '/api/*'])]));
    assert.ok(!covers([url(['get'], ['/api/*'])], [url(['get'], ['/apis'])]));
    assert.ok(covers([url(['*'], ['*'])], [url(['get', 'post'], ['/anything', '*'])]));
    assert.ok(!covers([url(['get'], ['*'])], [url(['post'], ['/x'])]));
    assert.ok(!covers([url(['*'], ['*'])], [r(['get'], [''], ['configmaps'])]), 'URL rules never cover resources');
  });

  test('rules that grant nothing are covered by nothing', () => {
    assert.ok(covers([], [r(['get'], [], ['configmaps']), r([], [''], ['configmaps']), { verbs: ['get'], apiGroups: [''] }]));
    assert.ok(!covers([], [r(['get'], [''], ['configmaps'])]));
  });

  test('bootstrap roles: admin covers edit and view, edit does not cover admin, nothing but cluster-admin covers cluster-admin', () => {
    const { admin, edit, view } = BOOTSTRAP_CLUSTER_ROLES;
    const clusterAdmin = BOOTSTRAP_CLUSTER_ROLES['cluster-admin']!;
    assert.ok(covers(admin!, edit!));
    assert.ok(covers(admin!, view!));
    assert.ok(covers(edit!, view!) === false, 'view reads namespaces/status, edit does not');
    assert.ok(!covers(edit!, admin!));
    assert.ok(!covers(admin!, clusterAdmin));
    assert.ok(covers(clusterAdmin, [...admin!, ...edit!, ...view!, ...clusterAdmin]));
    assert.deepEqual(uncoveredRules(admin!, clusterAdmin), [url(['*'], ['*'])]);
  });

  test('an exploding rule is judged whole, never enumerated', () => {
    const many = Array.from({ length: 400 }, (_, i) => `g${i}.io`);
    const huge = r(['get', 'list'], many, many, many);
    assert.ok(huge.verbs.length * many.length ** 3 > MAX_SIMPLE_RULES);
    assert.ok(covers([r(['*'], ['*'], ['*'])], [huge]), 'covered whole by one owner rule');
    const missing = uncoveredRules([r(['get', 'list'], many.slice(1), ['*'])], [huge]);
    assert.equal(missing.length, 1);
    assert.deepEqual(missing[0], huge, 'reported whole instead of 128M simple rules');
  });

  test('the split budget is shared by all rules of one check', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `n${i}`);
    // 40 rules of 2,000 pieces each: 80,000 > the budget, though each rule alone is small.
    const rules = Array.from({ length: 40 }, (_, i) => r(['get', 'list'], [''], [`res${i}`], names));
    const owner = [r(['get', 'list'], [''], ['*'], names.slice(1))];
    const missing = uncoveredRules(owner, rules);
    const whole = missing.filter((m) => (m.resourceNames ?? []).length === names.length);
    assert.ok(whole.length > 0, 'rules beyond the budget are judged whole');
    assert.ok(missing.length < 40 * 2, 'never enumerated past the budget');
    assert.ok(40 * 2000 > MAX_SIMPLE_RULES);
  });
});

describe('helpers', () => {
  test('breakdown yields one verb, group, resource and name per rule', () => {
    const simple = [...breakdownRule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['a', 'b'], resourceNames: ['x'], nonResourceURLs: ['/u'] })];
    assert.equal(simple.length, 6);
    assert.deepEqual(simple[0], r(['get'], [''], ['a'], ['x']));
    assert.deepEqual(simple.at(-1), url(['list'], ['/u']));
  });

  test('compaction merges verbs of one target; kube-style formatting', () => {
    const out = compactRules([r(['get'], [''], ['secrets']), r(['list'], [''], ['secrets']), r(['get'], ['apps'], ['deployments'])]);
    assert.deepEqual(out, [r(['get', 'list'], [''], ['secrets']), r(['get'], ['apps'], ['deployments'])]);
    assert.equal(formatRule(out[0]!), '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}');
    assert.equal(formatRule(r(['get'], ['x'], ['y'], ['n'])), '{APIGroups:["x"], Resources:["y"], ResourceNames:["n"], Verbs:["get"]}');
    assert.equal(formatRule(url(['get'], ['/metrics'])), '{NonResourceURLs:["/metrics"], Verbs:["get"]}');
  });
});
