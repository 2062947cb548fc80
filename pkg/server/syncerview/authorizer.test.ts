import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apierrors/errors.ts';
import { serviceAccountUser } from '../authn/satoken.ts';
import type { UserInfo } from '../authn/user.ts';
import { SyncerViewAuthorizer, syncTargetFacts, type SyncTargetFacts } from './authorizer.ts';

const UID = 'uid-1';
const facts: Record<string, SyncTargetFacts> = {
  'root:org/edge-1': { metadata: { uid: UID }, status: { syncerIdentity: { serviceAccount: 'kplane-syncer-edge-1-aaaa', namespace: 'default' } } },
  'root:org/edge-2': { metadata: { uid: 'uid-2' }, status: { syncerIdentity: { serviceAccount: 'kplane-syncer-edge-2-bbbb', namespace: 'default' } } },
  'root:org/fresh': { metadata: { uid: 'uid-3' } },
};

function authorizer(lookups: string[] = []): SyncerViewAuthorizer {
  return new SyncerViewAuthorizer(async (ws, name) => {
    lookups.push(`${ws}/${name}`);
    return facts[`${ws}/${name}`];
  });
}

const syncer1 = serviceAccountUser({ cluster: 'root:org', namespace: 'default', name: 'kplane-syncer-edge-1-aaaa', uid: 'sa-1' });
const syncer2 = serviceAccountUser({ cluster: 'root:org', namespace: 'default', name: 'kplane-syncer-edge-2-bbbb', uid: 'sa-2' });
const sameNameElsewhere = serviceAccountUser({ cluster: 'root:other', namespace: 'default', name: 'kplane-syncer-edge-1-aaaa', uid: 'sa-9' });
const otherSAInWorkspace = serviceAccountUser({ cluster: 'root:org', namespace: 'apps', name: 'kplane-syncer-edge-1-aaaa', uid: 'sa-7' });
const tenantAdmin: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const master: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
const view = (syncTarget: string, uid: string, workspace = 'root:org') => ({ workspace, syncTarget, uid });

const forbidden = (e: unknown) => isStatusError(e, 'Forbidden');
const notFound = (e: unknown) => isStatusError(e, 'NotFound');

test('the recorded syncer identity and system:masters may use the view', async () => {
  await authorizer().authorize(syncer1, view('edge-1', UID));
  await authorizer().authorize(master, view('edge-1', UID));
});

test('everyone else is refused with 403; outsiders before any lookup', async () => {
  const lookups: string[] = [];
  const a = authorizer(lookups);
  await assert.rejects(a.authorize(tenantAdmin, view('edge-1', UID)), forbidden);
  await assert.rejects(a.authorize(sameNameElsewhere, view('edge-1', UID)), forbidden);
  assert.deepEqual(lookups, [], 'users and other workspaces\' ServiceAccounts learn nothing about SyncTargets');
  // Another SyncTarget's syncer, and a ServiceAccount of the same name in another namespace.
  await assert.rejects(a.authorize(syncer2, view('edge-1', UID)), forbidden);
  await assert.rejects(a.authorize(otherSAInWorkspace, view('edge-1', UID)), forbidden);
  // A SyncTarget whose identity is not recorded yet has no syncer to let in.
  await assert.rejects(a.authorize(syncer1, view('fresh', 'uid-3')), forbidden);
});

test('an unknown SyncTarget or a uid that is not its own is 404', async () => {
  await assert.rejects(authorizer().authorize(syncer1, view('edge-1', 'uid-2')), notFound);
  await assert.rejects(authorizer().authorize(syncer1, view('gone', UID)), notFound);
  await assert.rejects(authorizer().authorize(master, view('edge-1', 'uid-x')), notFound);
  // The view of a SyncTarget in another workspace: the syncer is an outsider there (403).
  await assert.rejects(authorizer().authorize(syncer1, view('edge-1', UID, 'root:other')), forbidden);
});

test('syncTargetFacts reads uid and recorded identity, and tolerates junk', () => {
  assert.deepEqual(syncTargetFacts({ metadata: { uid: 'u' }, status: { syncerIdentity: { serviceAccount: 'sa', namespace: 'default', clusterRole: 'r' } } }), {
    metadata: { uid: 'u' },
    status: { syncerIdentity: { serviceAccount: 'sa', namespace: 'default' } },
  });
  assert.deepEqual(syncTargetFacts({ metadata: { uid: 'u' }, status: { syncerIdentity: 'nonsense' } }), { metadata: { uid: 'u' } });
  assert.deepEqual(syncTargetFacts({ metadata: {}, status: { syncerIdentity: { serviceAccount: 7 } } }), { metadata: { uid: undefined } });
});
