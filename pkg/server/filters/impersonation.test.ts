import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../apierrors/errors.ts';
import type { UserInfo } from '../authn/user.ts';
import { impersonatedUser, impersonationChecks, parseImpersonationHeaders } from './impersonation.ts';

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

describe('impersonation headers', () => {
  test('no Impersonate-* header: no impersonation', () => {
    assert.equal(parseImpersonationHeaders({ authorization: ['Bearer x'], 'user-agent': ['kubectl'] }), undefined);
  });

  test('user, repeated groups, uid and percent-escaped extra keys', () => {
    const r = parseImpersonationHeaders({
      'impersonate-user': ['bob'],
      'impersonate-group': ['g1', 'g2'],
      'impersonate-uid': ['u-1'],
      'impersonate-extra-scopes': ['a', 'b'],
      'impersonate-extra-example.com%2fteam': ['x'],
    });
    assert.deepEqual(r, { user: 'bob', groups: ['g1', 'g2'], uid: 'u-1', extra: { scopes: ['a', 'b'], 'example.com/team': ['x'] } });
  });

  test('groups, uid or extras without a user are a 400, never ignored', () => {
    for (const h of [{ 'impersonate-group': ['g'] }, { 'impersonate-uid': ['u'] }, { 'impersonate-extra-k': ['v'] }, { 'impersonate-user': [''] }]) {
      assert.throws(() => parseImpersonationHeaders(h), (e) => e instanceof StatusError && e.code === 400, JSON.stringify(h));
    }
    assert.throws(() => parseImpersonationHeaders({ 'impersonate-user': ['a', 'b'] }), (e) => e instanceof StatusError && e.code === 400);
  });
});

describe('impersonation checks', () => {
  test('each attribute is an `impersonate` check in the request cluster', () => {
    const checks = impersonationChecks({ user: 'bob', groups: ['g'], uid: 'u', extra: { k: ['v1', 'v2'] } }, alice, 'root:a');
    assert.deepEqual(
      checks.map((c) => [c.verb, c.cluster, c.apiGroup, c.resource, c.subresource, c.namespace, c.name]),
      [
        ['impersonate', 'root:a', '', 'users', '', '', 'bob'],
        ['impersonate', 'root:a', '', 'groups', '', '', 'g'],
        ['impersonate', 'root:a', 'authentication.k8s.io', 'uids', '', '', 'u'],
        ['impersonate', 'root:a', 'authentication.k8s.io', 'userextras', 'k', '', 'v1'],
        ['impersonate', 'root:a', 'authentication.k8s.io', 'userextras', 'k', '', 'v2'],
      ],
    );
    assert.ok(checks.every((c) => c.user === alice), 'checked for the caller');
  });

  test('a service account is checked as serviceaccounts in its namespace', () => {
    const [c] = impersonationChecks({ user: 'system:serviceaccount:ns1:robot', groups: [], uid: undefined, extra: {} }, alice, 'root:a');
    assert.deepEqual([c!.resource, c!.namespace, c!.name, c!.apiGroup], ['serviceaccounts', 'ns1', 'robot', '']);
    const [bad] = impersonationChecks({ user: 'system:serviceaccount:only-one-part', groups: [], uid: undefined, extra: {} }, alice, 'root:a');
    assert.equal(bad!.resource, 'users', 'not a service account name: a plain user');
  });
});

describe('impersonated user', () => {
  test('gets system:authenticated added once', () => {
    assert.deepEqual(impersonatedUser({ user: 'bob', groups: ['g'], uid: undefined, extra: {} }, 'root').groups, ['g', 'system:authenticated']);
    assert.deepEqual(impersonatedUser({ user: 'bob', groups: ['system:authenticated'], uid: undefined, extra: {} }, 'root').groups, ['system:authenticated']);
    assert.deepEqual(impersonatedUser({ user: 'system:anonymous', groups: [], uid: undefined, extra: {} }, 'root').groups, ['system:unauthenticated']);
  });

  test('a service account gets its groups and lives in the request cluster', () => {
    const u = impersonatedUser({ user: 'system:serviceaccount:ns1:robot', groups: [], uid: 'u1', extra: {} }, 'root:a');
    assert.deepEqual(u, {
      username: 'system:serviceaccount:ns1:robot',
      uid: 'u1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'],
      extra: { 'authentication.kcp.io/cluster-name': ['root:a'] },
    });
  });
});
